"""The runtime's `to_wire`: request values with their keys as the API names them, from the
`WireKeys` the generator writes beside each TypedDict."""

from __future__ import annotations

from imagesdk import omit
from imagesdk._wire import Alias, WireKeys, to_wire

CROP = WireKeys(names={"top_left": "topLeft"})
IMAGE = WireKeys(names={"image_url": "imageURL", "crop_box": "cropBox"}, nested={"crop_box": CROP})
LAYER = WireKeys(names={"style_id": "styleId"})


def test_keys_are_renamed_at_every_depth() -> None:
    value = {"image_url": "a.png", "crop_box": {"top_left": 3}, "seed": 1}
    assert to_wire(value, IMAGE) == {"imageURL": "a.png", "cropBox": {"topLeft": 3}, "seed": 1}


def test_lists_and_tuples_are_sent_item_by_item() -> None:
    layers = [{"style_id": "ink"}, {"style_id": "wash"}]
    assert to_wire(layers, LAYER) == [{"styleId": "ink"}, {"styleId": "wash"}]
    assert to_wire(({"style_id": "oil"},), LAYER) == [{"styleId": "oil"}]
    nested = {"crop_box": [{"top_left": 1}, {"top_left": 2}]}
    assert to_wire(nested, IMAGE) == {"cropBox": [{"topLeft": 1}, {"topLeft": 2}]}


def test_a_map_keeps_its_own_keys_and_renames_its_values() -> None:
    by_name = WireKeys(values=LAYER)
    value = {"style_id": {"style_id": "ink"}, "other": {"weight": 1}}
    assert to_wire(value, by_name) == {"style_id": {"styleId": "ink"}, "other": {"weight": 1}}


def test_what_is_not_an_object_is_sent_as_it_is() -> None:
    for value in ("text", 3, None, omit, b"bytes"):
        assert to_wire(value, IMAGE) is value


def test_merged_keys_serve_either_kind_of_object() -> None:
    either = IMAGE.merged(LAYER)
    assert to_wire({"style_id": "ink"}, either) == {"styleId": "ink"}
    assert to_wire({"crop_box": {"top_left": 1}}, either) == {"cropBox": {"topLeft": 1}}
    deep = WireKeys(nested={"inner": CROP}).merged(WireKeys(nested={"inner": LAYER}))
    assert to_wire({"inner": {"top_left": 1, "style_id": "s"}}, deep) == {
        "inner": {"topLeft": 1, "styleId": "s"}
    }
    maps = WireKeys(values=CROP).merged(WireKeys(values=LAYER))
    assert to_wire({"k": {"style_id": "s"}}, maps) == {"k": {"styleId": "s"}}


def test_the_caller_value_is_not_changed() -> None:
    value = {"image_url": "a.png", "crop_box": {"top_left": 3}}
    to_wire(value, IMAGE)
    assert value == {"image_url": "a.png", "crop_box": {"top_left": 3}}


def test_alias_shows_its_wire_name() -> None:
    assert repr(Alias("cfgScale")) == "Alias('cfgScale')"
    assert Alias("cfgScale").wire_name == "cfgScale"
