"""`pagination:` as a list: one API whose lists page three ways (a cursor in the body, the
last item's id as the cursor, and an offset), each method read to the end by its own
scheme."""

from __future__ import annotations

from types import ModuleType

from .local_server import Answer, Seen, local_server

SPEC = """
openapi: 3.1.0
info: {title: Library API, version: "1"}
servers: [{url: "https://library.example/v1"}]
paths:
  /books:
    get:
      parameters:
        - {name: after, in: query, schema: {type: string}}
      responses:
        "200":
          description: A page of books.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/BookList"}
  /shelves:
    get:
      parameters:
        - {name: starting_after, in: query, schema: {type: string}}
      responses:
        "200":
          description: A page of shelves.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/ShelfList"}
  /authors:
    get:
      parameters:
        - {name: skip, in: query, schema: {type: integer}}
      responses:
        "200":
          description: A page of authors.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/AuthorList"}
components:
  schemas:
    Book:
      type: object
      required: [id]
      properties: {id: {type: string}}
    BookList:
      type: object
      properties:
        data: {type: array, items: {$ref: "#/components/schemas/Book"}}
        last_id: {type: [string, "null"]}
        has_more: {type: boolean}
    ShelfList:
      type: object
      properties:
        data: {type: array, items: {$ref: "#/components/schemas/Book"}}
        has_more: {type: boolean}
    Author:
      type: object
      required: [name]
      properties: {name: {type: string}}
    AuthorList:
      type: object
      properties:
        results: {type: array, items: {$ref: "#/components/schemas/Author"}}
"""
CONFIG = """
package: {package}
client: {sync: LibraryClient, async: AsyncLibraryClient}
resources:
  books:
    methods:
      list: get /books
  shelves:
    methods:
      list: get /shelves
  authors:
    methods:
      list: get /authors
pagination:
  - style: cursor
    param: after
    field: last_id
    has_more: has_more
    methods: [books.list]
  - style: cursor
    param: starting_after
    item_cursor: id
    has_more: has_more
    methods: [shelves.list]
  - style: offset
    items: results
    param: skip
    methods: [authors.list]
"""
BOOKS = [f"b{n}" for n in range(5)]
AUTHORS = [f"a{n}" for n in range(5)]


def answer(seen: Seen) -> Answer:
    if seen.path.endswith("/shelves"):
        after = seen.query.get("starting_after")
        start = BOOKS.index(after) + 1 if after else 0
        page = BOOKS[start : start + 2]
        return 200, {}, {"data": [{"id": b} for b in page], "has_more": start + 2 < len(BOOKS)}
    if seen.path.endswith("/books"):
        start = BOOKS.index(seen.query["after"]) + 1 if "after" in seen.query else 0
        page = BOOKS[start : start + 2]
        more = start + 2 < len(BOOKS)
        return 200, {}, {"data": [{"id": b} for b in page], "last_id": page[-1], "has_more": more}
    start = int(seen.query.get("skip", "0"))
    return 200, {}, {"results": [{"name": a} for a in AUTHORS[start : start + 2]]}


class TestTwoSchemes:
    SPEC, CONFIG = SPEC, CONFIG

    def test_each_list_pages_its_own_way(self, sdk: ModuleType) -> None:
        with (
            local_server(answer) as server,
            sdk.LibraryClient(base_url=server.url) as client,
        ):
            assert [b.id for b in client.books.list()] == BOOKS
            books = [s.query.get("after") for s in server.seen]
            assert books == [None, "b1", "b3"]  # has_more false on the third page
            server.seen.clear()
            assert [b.id for b in client.shelves.list()] == BOOKS
            cursors = [s.query.get("starting_after") for s in server.seen]
            assert cursors == [None, "b1", "b3"]  # the last item's id
            server.seen.clear()
            assert [a.name for a in client.authors.list()] == AUTHORS
            skips = [s.query.get("skip") for s in server.seen]
            assert skips == [None, "2", "4", "5"]  # by the items received, to the empty page
