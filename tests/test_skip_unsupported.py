"""`--skip-unsupported`: methods the generator cannot build yet are left out, each listed
with its reasons, and the rest is generated; without the flag the same input is refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _generate import FullOpenAI
from sdkforge.pipeline import Inputs

Run = Callable[..., Any]

SPEC = """\
openapi: 3.1.0
info: {title: Shop, version: "1"}
servers: [{url: "https://shop.example/v1"}]
paths:
  /orders:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [item]
              properties:
                item: {type: string, description: What to order.}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
  /orders/latest:
    get:
      parameters:
        - {name: shop_session, in: querystring, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
  /events:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                name: {type: string, description: The event.}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Event"}
components:
  schemas:
    Order:
      type: object
      required: [id]
      properties:
        id: {type: string, description: The order's id.}
    Event:
      type: object
      properties:
        order: {$ref: "#/components/schemas/Order/properties/id"}
"""

CONFIG = """\
package: shopsdk
client: {sync: Shop, async: AsyncShop, api_key_env: SHOP_API_KEY}
resources:
  orders:
    singular: order
    methods:
      create: post /orders
      retrieve: get /orders/latest
  events:
    methods:
      send: post /events
"""


@pytest.fixture
def shop(write_inputs: Callable[..., Inputs]) -> Inputs:
    return write_inputs(SPEC, CONFIG)


def _args(command: str, inputs: Inputs, out: Path, *extra: str) -> list[str | Path]:
    return [command, "--spec", inputs.spec, "--config", inputs.config, "--out", out, *extra]


def test_without_the_flag_unsupported_methods_are_errors(
    run_cli: Run, shop: Inputs, tmp_path: Path
) -> None:
    result = run_cli(*_args("generate", shop, tmp_path / "out"))
    assert result.code == 2
    assert "querystring parameters are not supported yet" in result.err
    assert "may only $ref whole schemas under components/schemas" in result.err
    assert not (tmp_path / "out").exists()


def test_with_the_flag_the_rest_is_generated_and_the_skipped_are_listed(
    run_cli: Run, shop: Inputs, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run_cli(*_args("generate", shop, out, "--skip-unsupported"))
    assert result.code == 0, result.err
    skipped = [line for line in result.err.splitlines() if ": skipped " in line]
    assert any("skipped orders.retrieve: querystring parameters" in line for line in skipped)
    assert any("skipped events.send: a response schema may only $ref" in line for line in skipped)
    for line in skipped:  # each is located in the spec
        assert line.startswith(f"{shop.spec}:")
    orders = (out / "shopsdk" / "resources" / "orders.py").read_text(encoding="utf-8")
    assert "def create(" in orders and "def retrieve(" not in orders
    # A resource with every method skipped is left out entirely, models included.
    assert not (out / "shopsdk" / "resources" / "events.py").exists()
    assert not (out / "shopsdk" / "types" / "event.py").exists()
    assert (out / "shopsdk" / "types" / "order.py").exists()
    compile((out / "shopsdk" / "resources" / "orders.py").read_text(), "orders.py", "exec")

    assert run_cli(*_args("check", shop, out, "--skip-unsupported")).code == 0
    # The flag is part of what the output depends on.
    assert run_cli(*_args("check", shop, out)).code == 2


def test_the_full_openai_document_generates_every_method(
    openai_full_every_method: FullOpenAI,
) -> None:
    out, err = openai_full_every_method.out, openai_full_every_method.err
    skipped = {
        line.split(": skipped ")[1].split(":")[0]
        for line in err.splitlines()
        if ": skipped " in line
    }
    generated = (out / "openaisdk" / "resources").glob("*.py")
    # Every operation of the document is supported: the flag leaves nothing out.
    assert not skipped
    assert any(path.name == "images.py" for path in generated)


BROKEN_MODELS_SPEC = """\
openapi: 3.1.0
info: {title: Shop, version: "1"}
servers: [{url: "https://shop.example/v1"}]
paths:
  /orders:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {item: {type: string, description: What.}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
  /receipts:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {item: {type: string, description: What.}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Receipt"}
  /refunds:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {item: {type: string, description: What.}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Refund"}
components:
  schemas:
    Order:
      type: object
      properties:
        id: {type: string, description: The order's id.}
    Receipt:
      type: object
      properties:
        lines:
          type: array
          items: 5
    Refund:
      type: object
      properties:
        receipt: {$ref: "#/components/schemas/Receipt"}
"""

BROKEN_MODELS_CONFIG = """\
package: shopsdk
client: {sync: Shop, async: AsyncShop, api_key_env: SHOP_API_KEY}
resources:
  orders:
    methods:
      create: post /orders
  receipts:
    methods:
      create: post /receipts
  refunds:
    methods:
      create: post /refunds
"""


def test_a_schema_the_model_generator_rejects_skips_the_methods_that_need_it(
    write_inputs: Callable[..., Inputs], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The error names its component, so the methods that need it are known without making
    each method's models on its own: two model runs, however many methods there are."""
    import sdkforge.pipeline as pipeline
    from sdkforge.pipeline import generate

    inputs = write_inputs(BROKEN_MODELS_SPEC, BROKEN_MODELS_CONFIG)
    runs: list[int] = []
    build_models = pipeline.build_models

    def counting(*args: Any, **kwargs: Any) -> Any:
        runs.append(1)
        return build_models(*args, **kwargs)

    monkeypatch.setattr(pipeline, "build_models", counting)
    files, skipped = generate(Inputs(inputs.spec, inputs.config, skip_unsupported=True))
    assert {s.method for s in skipped} == {"receipts.create", "refunds.create"}
    items_line = BROKEN_MODELS_SPEC.splitlines().index("          items: 5") + 1
    for method in skipped:
        assert [r.location.line for r in method.reasons] == [items_line]
        assert "datamodel-code-generator" in method.reasons[0].message
    assert "shopsdk/types/order.py" in files
    assert not any(name.startswith("shopsdk/types/re") for name in files)
    # Rendered again without them: none of the files rendered early (before the models
    # failed) is kept.
    assert "shopsdk/resources/orders.py" in files
    assert not {"shopsdk/resources/receipts.py", "shopsdk/resources/refunds.py"} & files.keys()
    assert "Receipt" not in files["shopsdk/_client.py"]
    assert len(runs) == 2
