"""Build-time SVG maps: TopoJSON decoding, shading classes, and the SVG they make."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from sahel_site.maps import (
    MapArea,
    atlas,
    clip_ring,
    decimal,
    degree_bbox,
    legend_rows,
    map_extent,
    parse_topojson,
    path_data,
    region_map,
    shade_classes,
    split_at_antimeridian,
    world_map,
)

SVG = "{http://www.w3.org/2000/svg}"

AES = (
    MapArea("466", "Mali", 12, "../mali/", marked=True),
    MapArea("562", "Niger", 5, "../niger/", marked=True),
    MapArea("854", "Burkina Faso", 3, "../burkina-faso/", marked=True),
)
OTHERS = (
    MapArea("566", "Nigeria", 2, "../nigeria/"),
    MapArea("686", "Senegal", 1, "../senegal/"),
    MapArea("270", "Gambia", 1, "../gambia/"),
    MapArea("148", "Chad", 4, None),
    MapArea("643", "Russia", 7, "../russia/"),
)


def home_map() -> str:
    return region_map(
        AES + OTHERS, title="Where the articles are", description="States shaded by mentions.",
        legend="Mentions", marked_label="AES member",
    )


def links(svg: str) -> dict[str, ET.Element]:
    """The map's links by their title's text."""
    return {a.find(f"{SVG}title").text: a for a in ET.fromstring(svg).iter(f"{SVG}a")}


# --- Decoding ---------------------------------------------------------------------------------


def test_parse_topojson_undoes_quantization_deltas_and_reversed_arcs() -> None:
    topo = {
        "type": "Topology",
        "transform": {"scale": [0.5, 2.0], "translate": [10.0, -4.0]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, -2]]],  # second arc runs back to the start
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]], "id": "002", "properties": {"name": "B"}},
            {"type": "MultiPolygon", "arcs": [[[~1, ~0]]], "id": "001", "properties": {"name": "A"}},
            {"type": None, "id": "003"},
        ]}},
    }
    first, second, third = parse_topojson(json.dumps(topo))
    assert (first.iso_numeric, first.name) == ("001", "A")
    assert second.polygons == (((((10.0, -4.0), (11.0, -4.0), (11.0, 0.0), (10.0, -4.0))),),)
    assert first.polygons == (((((10.0, -4.0), (11.0, 0.0), (11.0, -4.0), (10.0, -4.0))),),)
    assert third.polygons == ()


def test_packaged_atlas_puts_mali_where_it_is() -> None:
    west, south, east, north = degree_bbox("466")
    assert west == pytest.approx(-12.2, abs=0.1) and east == pytest.approx(4.3, abs=0.1)
    assert south == pytest.approx(10.1, abs=0.1) and north == pytest.approx(25.0, abs=0.1)
    assert len(atlas()) == 177
    assert degree_bbox("999") is None


def test_map_extent_region_for_african_states_in_view_else_world() -> None:
    assert [map_extent(code) for code in ("466", "562", "854", "132", "270")] == ["region"] * 5
    assert [map_extent(code) for code in ("643", "840", "250", "710", "376", "999")] == ["world"] * 6


def test_clip_ring_keeps_the_part_inside_the_box() -> None:
    clipped = clip_ring([(-5.0, 5.0), (5.0, 5.0), (5.0, 15.0), (-5.0, 15.0)], (0.0, 0.0, 10.0, 10.0))
    assert sorted(clipped) == [(0.0, 5.0), (0.0, 10.0), (5.0, 5.0), (5.0, 10.0)]


def test_split_at_antimeridian_makes_pieces_on_both_sides() -> None:
    ring = [(170.0, 60.0), (-170.0, 60.0), (-170.0, 70.0), (170.0, 70.0), (170.0, 60.0)]
    pieces = split_at_antimeridian(ring)
    assert len(pieces) == 2
    spans = sorted((min(p[0] for p in piece), max(p[0] for p in piece)) for piece in pieces)
    assert spans == [(-180.0, -170.0), (170.0, 180.0)]


def test_path_data_is_relative_rounded_and_drops_repeats() -> None:
    ring = [(1.04, 2.0), (1.0, 2.01), (3.55, 2.0), (3.5, 0.0), (1.04, 2.0)]
    assert path_data([ring]) == "M1 2l2.6 0-.1-2z"
    assert path_data([[(0.0, 0.0), (0.01, 0.0)]]) == ""
    assert [decimal(v) for v in (0, 5, -5, 30, -123)] == ["0", ".5", "-.5", "3", "-12.3"]


# --- Shading ----------------------------------------------------------------------------------


def test_shade_classes_spread_distinct_values_over_five_classes() -> None:
    assert shade_classes([1, 1, 2, 3, 5, 8, 0]) == {1: 1, 2: 2, 3: 3, 5: 4, 8: 5}
    assert shade_classes([4]) == {4: 5}
    assert shade_classes([1, 9]) == {1: 1, 9: 5}
    assert set(shade_classes(range(1, 40)).values()) == {1, 2, 3, 4, 5}


def test_legend_rows_cover_every_count_without_gaps() -> None:
    classes = shade_classes([1, 2, 3, 5, 8, 13, 21])
    assert legend_rows(classes) == [
        ("map-q1", "1"), ("map-q2", "2–3"), ("map-q3", "4–5"), ("map-q4", "6–13"), ("map-q5", "14–21"),
    ]


# --- The SVG ----------------------------------------------------------------------------------


def test_region_map_is_one_well_formed_labelled_svg() -> None:
    svg = home_map()
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("class") == "map map-region"
    assert root.get("viewBox").startswith("0 0 800 ") and root.get("width") is None
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == title.get("id") and root.get("aria-describedby") == desc.get("id")
    assert title.text == "Where the articles are" and root.get("role") is None
    assert "style=" not in svg and not svg.startswith("<?xml")


def test_region_map_links_shades_and_marks_the_states() -> None:
    found = links(home_map())
    mali = found["Mali — 12 mentions"]
    assert mali.get("href") == "../mali/"
    assert mali.find(f"{SVG}path").get("class") == "map-q5 map-marked"
    assert found["Niger — 5 mentions"].find(f"{SVG}path").get("class") == "map-q4 map-marked"
    assert found["Burkina Faso — 3 mentions"].find(f"{SVG}path").get("class") == "map-q2 map-marked"
    assert found["Senegal — 1 mention"].find(f"{SVG}path").get("class") == "map-q1"
    assert "Chad — 4 mentions" not in found  # no page to link to, but still named
    assert "<title>Chad — 4 mentions</title>" in home_map()
    assert not any(key.startswith("Russia") for key in found)  # not in view on the region map


def test_region_map_labels_the_shaded_states_and_has_a_legend() -> None:
    root = ET.fromstring(home_map())
    labels = {t.text for t in root.iter(f"{SVG}text") if "map-label" in (t.get("class") or "")}
    assert {"Mali", "Niger", "Burkina Faso", "Nigeria", "Chad"} <= labels
    legend = [t.text for g in root.iter(f"{SVG}g") if g.get("class") == "map-legend" for t in g.iter(f"{SVG}text")]
    assert legend == ["Mentions", "0", "1", "2–3", "4", "5–7", "8–12", "AES member"]
    plain = [p for p in root.iter(f"{SVG}path") if p.get("class") == "map-land"]
    assert len(plain) > 40  # the neighbours are drawn for context


def test_highlighted_state_and_its_legend_row() -> None:
    areas = (MapArea("466", "Mali", 12, None, marked=True, highlighted=True), MapArea("562", "Niger", 2, "../niger/"))
    svg = region_map(areas, title="Mali", description="Mali on the map.", legend="Mentions")
    root = ET.fromstring(svg)
    assert [p.get("class") for p in root.iter(f"{SVG}path") if "map-hl" in (p.get("class") or "")] == [
        "map-hl map-marked"
    ]
    legend = [t.text for g in root.iter(f"{SVG}g") if g.get("class") == "map-legend" for t in g.iter(f"{SVG}text")]
    assert legend == ["Mentions", "0", "1–2", "Mali"]  # no marked row without marked_label
    assert 'class="map-label map-label-hl"' in svg


def test_world_map_draws_external_states_and_no_antarctica() -> None:
    areas = (MapArea("643", "Russia", 7, None, highlighted=True), MapArea("840", "United States", 2, "../us/"))
    svg = world_map(areas, title="Russia", description="Russia on the world map.", legend="Mentions")
    root = ET.fromstring(svg)
    assert root.get("class") == "map map-world"
    assert "United States — 2 mentions" in links(svg)
    labels = {t.text for t in root.iter(f"{SVG}text") if "map-label" in (t.get("class") or "")}
    assert labels == {"Russia", "United States"}
    height = float(root.get("viewBox").split()[3])
    assert all(float(t.get("y")) <= height for t in root.iter(f"{SVG}text"))


def test_output_is_deterministic_whatever_the_input_order() -> None:
    shuffled = tuple(reversed(AES + OTHERS))
    again = region_map(shuffled, title="Where the articles are", description="States shaded by mentions.",
                       legend="Mentions", marked_label="AES member")
    assert home_map() == home_map() == again


def test_maps_stay_small() -> None:
    assert len(home_map().encode()) < 40_000
    assert len(world_map(OTHERS, title="World", description="d", legend="Mentions").encode()) < 60_000


def test_text_is_escaped_and_ids_are_ascii() -> None:
    svg = region_map((MapArea("384", "Côte d'Ivoire & co", 1, "a?b=1&c=2"),), title="Côte <d'Ivoire>",
                     description="a & b", legend="<Mentions>")
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").get("id") == "map-region-cote-d-ivoire-title"
    assert root.find(f"{SVG}title").text == "Côte <d'Ivoire>"
    assert next(root.iter(f"{SVG}a")).get("href") == "a?b=1&c=2"
