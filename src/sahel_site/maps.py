"""Build-time SVG maps of states: a region map of the Sahel and West Africa, and a world map.

The geometry is world-atlas's ``countries-110m.json`` (Natural Earth, public domain), decoded
from TopoJSON here, at build time, and kept per process. A map is an inline ``<svg>`` that
names its shading by class only (``map-land``, ``map-q1`` … ``map-q5``, ``map-hl``,
``map-marked``): colours live in the site's stylesheet, since the CSP forbids ``style=``.
"""

from __future__ import annotations

import itertools
import json
import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib.resources import files
from typing import Literal

Point = tuple[float, float]
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]  # the outer ring, then its holes
Box = tuple[float, float, float, float]  # left, top, right, bottom (or west, south, east, north)

# The region map's window in degrees (west, south, east, north): Cabo Verde to the Red Sea,
# the Gulf of Guinea to the Mediterranean coast.
REGION_BOUNDS: Box = (-26.0, -6.0, 44.0, 38.0)
REGION_LAT0 = 16.0  # the parallel whose scale is kept: the middle of the Sahel
WIDTH = 800.0  # both maps, in SVG user units; CSS sizes the drawing
WORLD_BOUNDS = (-58.0, 84.0)  # latitudes shown on the world map: Antarctica left out
FONT_SIZE = 12
ANTARCTICA = "010"

# States the 1:110m atlas has no shape for, drawn as a dot (lon, lat) when they are shaded.
POINTS: dict[str, Point] = {
    "048": (50.55, 26.07),  # Bahrain
    "132": (-23.8, 15.9),  # Cabo Verde
    "174": (43.9, -11.9),  # Comoros
    "470": (14.4, 35.9),  # Malta
    "480": (57.6, -20.3),  # Mauritius
    "678": (6.6, 0.3),  # São Tomé and Príncipe
    "690": (55.5, -4.6),  # Seychelles
    "702": (103.8, 1.35),  # Singapore
}

# Labels of states too small to hold their name go beside them, in the sea (lon, lat),
# joined to the state by a short line.
LABEL_AT: dict[str, Point] = {
    "204": (3.4, 5.2),  # Benin
    "226": (2.8, 2.4),  # Equatorial Guinea
    "270": (-19.6, 13.5),  # Gambia
    "430": (-11.6, 4.4),  # Liberia
    "624": (-21.4, 11.4),  # Guinea-Bissau
    "694": (-17.6, 8.0),  # Sierra Leone
    "768": (0.2, 4.4),  # Togo
}

AFRICA = frozenset({  # ISO 3166-1 numeric codes of Africa's states and Western Sahara
    "012", "024", "072", "108", "120", "132", "140", "148", "174", "178", "180", "204",
    "226", "231", "232", "262", "266", "270", "288", "324", "384", "404", "426", "430",
    "434", "450", "454", "466", "478", "480", "504", "508", "516", "562", "566", "646",
    "678", "686", "690", "694", "706", "710", "716", "728", "729", "732", "748", "768",
    "788", "800", "818", "834", "854", "894",
})


@dataclass(frozen=True, slots=True)
class MapArea:
    """One state to shade, mark, highlight or label on a map."""

    iso_numeric: str  # ISO 3166-1 numeric code as a string, e.g. "466" for Mali
    label: str  # shown on the map and in the link's title
    value: int  # mentions; 0 leaves the state unshaded
    href: str | None  # relative link to the state's page
    marked: bool = False  # drawn with a dashed outline, e.g. a member of the AES
    highlighted: bool = False


@dataclass(frozen=True, slots=True)
class Country:
    """One feature of the atlas, in degrees."""

    iso_numeric: str  # "" for the few features without a code (Kosovo, N. Cyprus, Somaliland)
    name: str
    polygons: tuple[Polygon, ...]


@dataclass(frozen=True, slots=True)
class Shape:
    """A country as drawn on one map, in SVG units."""

    iso_numeric: str
    path: str
    centre: Point  # the centroid of its largest ring
    anchor: Point  # where its label goes: the centre, or a place from LABEL_AT


@dataclass(frozen=True, slots=True)
class Frame:
    """One kind of map: its projection and the size of the window shown."""

    kind: str
    width: float
    height: float
    project: Callable[[float, float], Point]
    tenths: int  # coordinates are rounded to this many tenths of a unit


# --- TopoJSON ---------------------------------------------------------------------------


def parse_topojson(text: str, name: str = "countries") -> tuple[Country, ...]:
    """Decode the TopoJSON object ``name`` into countries, sorted by code and name."""
    topo = json.loads(text)
    arcs = decode_arcs(topo["arcs"], topo.get("transform"))
    countries = (
        Country(str(g.get("id", "")), g.get("properties", {}).get("name", ""), polygons_of(g, arcs))
        for g in topo["objects"][name]["geometries"]
    )
    return tuple(sorted(countries, key=lambda c: (c.iso_numeric, c.name)))


def decode_arcs(raw: list[list[list[float]]], transform: dict | None) -> list[Ring]:
    """Arcs in degrees: undo the delta encoding and the quantization when there is a transform."""
    if transform is None:
        return [tuple((float(p[0]), float(p[1])) for p in arc) for arc in raw]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs = []
    for arc in raw:
        x = y = 0.0  # sums of integers: exact
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(tuple(points))
    return arcs


def stitch_ring(indices: Iterable[int], arcs: Sequence[Ring]) -> Ring:
    """Join a ring's arcs; a negative index ``~i`` is arc ``i`` reversed."""
    points: list[Point] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)  # each arc starts where the last one ended
    return tuple(points)


def polygons_of(geometry: dict, arcs: Sequence[Ring]) -> tuple[Polygon, ...]:
    """The polygons of a Polygon or MultiPolygon geometry; none for any other type."""
    if geometry.get("type") == "Polygon":
        polygons = [geometry["arcs"]]
    elif geometry.get("type") == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return ()
    return tuple(tuple(stitch_ring(ring, arcs) for ring in polygon) for polygon in polygons)


@cache
def atlas() -> tuple[Country, ...]:
    """The packaged atlas, read once per process."""
    data = files("sahel_site").joinpath("data", "countries-110m.json")
    return parse_topojson(data.read_text(encoding="utf-8"))


def degree_bbox(iso_numeric: str) -> Box | None:
    """West, south, east, north of a state in degrees, or None when the atlas lacks it."""
    if iso_numeric in POINTS:
        lon, lat = POINTS[iso_numeric]
        return (lon, lat, lon, lat)
    points = [p for c in atlas() if c.iso_numeric == iso_numeric for poly in c.polygons for p in poly[0]]
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return (min(lons), min(lats), max(lons), max(lats))


# --- Projections --------------------------------------------------------------------------


def natural_earth(lon: float, lat: float) -> Point:
    """Natural Earth I projection (Šavrič et al.) of a point, in radians of the unit sphere."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


@cache
def frame(kind: str) -> Frame:
    """The region map (equirectangular, true to scale along 16°N, to 0.1 unit) or the world
    map (Natural Earth, to whole units: half the bytes, and as fine as 1:110m data at that size)."""
    if kind == "region":
        west, south, east, north = REGION_BOUNDS
        kx = math.cos(math.radians(REGION_LAT0))
        scale = WIDTH / ((east - west) * kx)

        def region(lon: float, lat: float) -> Point:
            return (lon - west) * kx * scale, (north - lat) * scale

        return Frame("region", WIDTH, round((north - south) * scale), region, tenths=1)
    half = natural_earth(180.0, 0.0)[0]
    top, bottom = natural_earth(0.0, WORLD_BOUNDS[1])[1], natural_earth(0.0, WORLD_BOUNDS[0])[1]
    scale = WIDTH / (2 * half)

    def world(lon: float, lat: float) -> Point:
        x, y = natural_earth(lon, lat)
        return (x + half) * scale, (top - y) * scale

    return Frame("world", WIDTH, round((top - bottom) * scale), world, tenths=10)


def clip_ring(ring: Sequence[Point], box: Box) -> list[Point]:
    """Sutherland–Hodgman: the part of a ring inside a box (left, top, right, bottom)."""
    points = list(ring)
    for axis, limit, side in ((0, box[0], 1), (0, box[2], -1), (1, box[1], 1), (1, box[3], -1)):
        kept: list[Point] = []
        for a, b in zip(points[-1:] + points[:-1], points):
            a_in, b_in = (a[axis] - limit) * side >= 0, (b[axis] - limit) * side >= 0
            if a_in != b_in:
                t = (limit - a[axis]) / (b[axis] - a[axis])
                kept.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
            if b_in:
                kept.append(b)
        points = kept
    return points


def split_at_antimeridian(ring: Sequence[Point]) -> list[list[Point]]:
    """A ring as the pieces either side of 180°: the atlas's rings cross it (Russia, Fiji)."""
    if all(abs(a[0] - b[0]) <= 180 for a, b in itertools.pairwise(ring)):
        return [list(ring)]
    whole = [ring[0]]
    for lon, lat in ring[1:]:
        whole.append((lon + 360 * round((whole[-1][0] - lon) / 360), lat))  # longitudes made continuous
    pieces = (clip_ring([(lon + shift, lat) for lon, lat in whole], (-180, -90, 180, 90)) for shift in (-360, 0, 360))
    return [piece for piece in pieces if len(piece) >= 3]


# --- Shapes -------------------------------------------------------------------------------


def tenths(ring: Iterable[Point], step: int = 1) -> list[tuple[int, int]]:
    """A ring in tenths of a unit, rounded to ``step`` tenths, without repeated points or the
    closing point."""
    out: list[tuple[int, int]] = []
    for x, y in ring:
        point = (round(x * 10 / step) * step, round(y * 10 / step) * step)
        if not out or point != out[-1]:
            out.append(point)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def decimal(value: int) -> str:
    """A number of tenths written shortly: 5 → ".5", -12 → "-1.2", 30 → "3"."""
    whole, frac = divmod(abs(value), 10)
    digits = (str(whole) if whole else "") + (f".{frac}" if frac else "")
    return ("-" if value < 0 else "") + digits if digits else "0"


def numbers(values: Iterable[int]) -> str:
    """Path numbers joined by a space, or by nothing before a minus sign."""
    out: list[str] = []
    for value in values:
        text = decimal(value)
        out.append(text if not out or text.startswith("-") else " " + text)
    return "".join(out)


def path_data(rings: Iterable[Sequence[Point]], step: int = 1) -> str:
    """SVG path data for closed rings: a move to the first point, then relative steps."""
    parts = []
    for ring in rings:
        points = tenths(ring, step)
        if len(points) < 3:
            continue
        steps = (v for a, b in itertools.pairwise(points) for v in (b[0] - a[0], b[1] - a[1]))
        parts.append(f"M{numbers(points[0])}l{numbers(steps)}z")
    return "".join(parts)


def ring_centroid(ring: Sequence[Point]) -> tuple[float, Point]:
    """The area (unsigned) and the centroid of a ring; the mean point if it has no area."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, list(ring[1:]) + list(ring[:1])):
        cross = x0 * y1 - x1 * y0
        area, cx, cy = area + cross, cx + (x0 + x1) * cross, cy + (y0 + y1) * cross
    if area == 0:
        return 0.0, (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
    return abs(area) / 2, (cx / (3 * area), cy / (3 * area))


def draw_country(country: Country, fr: Frame) -> Shape | None:
    """A country projected into a frame, or None when nothing of it is in view."""
    box = (-4.0, -4.0, fr.width + 4, fr.height + 4)  # a margin hides the cut edges' stroke
    rings = [
        clip_ring([fr.project(lon, lat) for lon, lat in piece], box)
        for polygon in country.polygons
        for ring in polygon
        for piece in split_at_antimeridian(ring)
    ]
    rings = [ring for ring in rings if len(ring) >= 3]
    path = path_data(rings, fr.tenths)
    if not path:
        return None
    centre = max((ring_centroid(ring) for ring in rings), key=lambda found: found[0])[1]
    anchor = fr.project(*LABEL_AT[country.iso_numeric]) if country.iso_numeric in LABEL_AT else centre
    return Shape(country.iso_numeric, path, centre, anchor)


@cache
def shapes(kind: str) -> tuple[Shape, ...]:
    """Every country visible on a map, projected once per process."""
    fr = frame(kind)
    drawn = (draw_country(c, fr) for c in atlas() if c.iso_numeric != ANTARCTICA)
    return tuple(shape for shape in drawn if shape is not None)


def map_extent(iso_numeric: str) -> Literal["region", "world"]:
    """The region map for an African state that fits in it, the world map for any other."""
    box = degree_bbox(iso_numeric)
    if iso_numeric not in AFRICA or box is None:
        return "world"
    west, south, east, north = REGION_BOUNDS
    inside = box[0] >= west - 0.5 and box[1] >= south - 0.5 and box[2] <= east + 0.5 and box[3] <= north + 0.5
    return "region" if inside else "world"


# --- Shading ------------------------------------------------------------------------------


def shade_classes(values: Iterable[int]) -> dict[int, int]:
    """Class 1–5 for each positive value: the distinct values' ranks cut into five even groups.

    Ranking distinct values keeps the classes apart when many states share a small count;
    with fewer than five distinct values the classes spread out, the largest always in 5.
    """
    distinct = sorted({v for v in values if v > 0})
    last = len(distinct) - 1
    if last <= 0:
        return {v: 5 for v in distinct}
    return {v: 1 + (8 * i + last) // (2 * last) for i, v in enumerate(distinct)}  # round(4i/last)


def legend_rows(classes: dict[int, int]) -> list[tuple[str, str]]:
    """(class name, range text) for each class in use, e.g. ("map-q2", "2–3")."""
    rows, low = [], 1
    for shade in range(1, 6):
        members = [v for v, c in classes.items() if c == shade]
        if members:
            high = max(members)
            rows.append((f"map-q{shade}", str(high) if low == high else f"{low}–{high}"))
            low = high + 1
    return rows


def area_class(area: MapArea, classes: dict[int, int]) -> str:
    """The classes of one state's shape."""
    shade = "map-hl" if area.highlighted else f"map-q{classes[area.value]}" if area.value > 0 else "map-land"
    return shade + (" map-marked" if area.marked else "")


def mentions(area: MapArea) -> str:
    """The link title: "Mali — 12 mentions"."""
    return f"{area.label} — {area.value} mention{'' if area.value == 1 else 's'}"


# --- SVG ----------------------------------------------------------------------------------


def region_map(
    areas: Sequence[MapArea], *, title: str, description: str, legend: str, marked_label: str = ""
) -> str:
    """The Sahel and West Africa map as an inline ``<svg>``."""
    return draw_map("region", areas, title, description, legend, marked_label)


def world_map(
    areas: Sequence[MapArea], *, title: str, description: str, legend: str, marked_label: str = ""
) -> str:
    """The world map (Natural Earth projection) as an inline ``<svg>``."""
    return draw_map("world", areas, title, description, legend, marked_label)


def draw_map(
    kind: str, areas: Sequence[MapArea], title: str, description: str, legend: str, marked_label: str
) -> str:
    """One map: countries, then labels, then the legend, all from sorted input."""
    fr = frame(kind)
    by_iso = {a.iso_numeric: a for a in sorted(areas, key=lambda a: (a.iso_numeric, a.label))}
    classes = shade_classes(a.value for a in by_iso.values() if not a.highlighted)
    key = element_id(kind, title)
    legend_svg, legend_box = draw_legend(fr, legend, classes, marked_label, by_iso)
    return "".join((
        (f'<svg xmlns="http://www.w3.org/2000/svg" class="map map-{kind}"'
         f' viewBox="0 0 {fr.width:g} {fr.height:g}"'
         f' aria-labelledby="{key}-title" aria-describedby="{key}-desc">'),
        f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(description)}</desc>',
        draw_countries(kind, by_iso, classes),
        draw_labels(kind, by_iso, legend_box),
        legend_svg,
        "</svg>",
    ))


def element_id(kind: str, title: str) -> str:
    """An id prefix from the map's kind and title, in ASCII: "map-region-mentions-by-state"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    words = "".join(ch if ch.isalnum() else " " for ch in ascii_title).split()
    return "-".join(["map", kind, *words])[:60].rstrip("-")


def draw_countries(kind: str, by_iso: dict[str, MapArea], classes: dict[int, int]) -> str:
    """Context land first, then the states of ``by_iso`` by name (the keyboard's order), marked
    and highlighted ones last so that no neighbour covers their outline."""
    plain, featured = [], []
    for shape in shapes(kind):
        area = by_iso.get(shape.iso_numeric)
        if area is None:
            plain.append(f'<path class="map-land" d="{shape.path}"/>')
        else:
            featured.append(((area.highlighted, area.marked, area.label, area.iso_numeric), area, shape.path))
    fr = frame(kind)
    for iso, area in by_iso.items():
        if iso in POINTS and shape_of(kind, iso) is None:
            x, y = fr.project(*POINTS[iso])
            if 0 <= x <= fr.width and 0 <= y <= fr.height:
                featured.append(((area.highlighted, area.marked, area.label, iso), area, dot_path(x, y)))
    featured.sort(key=lambda item: item[0])
    links = "".join(draw_area(area, path, classes) for _, area, path in featured)
    return f'<g class="map-countries">{"".join(plain)}{links}</g>'


def dot_path(x: float, y: float, radius: float = 4.0) -> str:
    """A small circle as path data, for a state too small for the atlas."""
    return f"M{numbers((round((x - radius) * 10), round(y * 10)))}a{radius:g} {radius:g} 0 1 0 {2 * radius:g} 0" \
        f"a{radius:g} {radius:g} 0 1 0 {-2 * radius:g} 0z"


def draw_area(area: MapArea, path: str, classes: dict[int, int]) -> str:
    """One state's shape, inside a link when it has a page."""
    shape = f'<path class="{area_class(area, classes)}" d="{path}"/>'
    if area.href is None:
        return f"<g><title>{escape(mentions(area))}</title>{shape}</g>"
    return f'<a href="{escape(area.href)}"><title>{escape(mentions(area))}</title>{shape}</a>'


def shape_of(kind: str, iso_numeric: str) -> Shape | None:
    """The shape of a state on a map, if the atlas has one in view."""
    return _shapes_by_iso(kind).get(iso_numeric)


@cache
def _shapes_by_iso(kind: str) -> dict[str, Shape]:
    """Looked up for every labelled state of every map; the first shape of a code, as the atlas
    orders them (reversed, so that the first is the one kept)."""
    return {s.iso_numeric: s for s in reversed(shapes(kind))}


def label_anchor(kind: str, iso_numeric: str) -> tuple[Point, Point] | None:
    """Where a state's label is centred, and the point it names: its shape's anchor and
    centre, or just above its dot and the dot."""
    shape = shape_of(kind, iso_numeric)
    if shape is not None:
        return shape.anchor, shape.centre
    if iso_numeric in POINTS:
        x, y = frame(kind).project(*POINTS[iso_numeric])
        return (x, y - FONT_SIZE), (x, y)
    return None


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_label(text: str, anchor: Point, taken: Sequence[Box], fr: Frame) -> tuple[Point, Box] | None:
    """The baseline point and box of a label at its anchor, or a line above or below it,
    kept inside the frame; None when every place overlaps a label already placed."""
    half_width, half_height = 0.33 * FONT_SIZE * len(text) + 1, 0.5 * FONT_SIZE
    x = min(max(anchor[0], half_width + 2), fr.width - half_width - 2)
    for shift in (0.0, -1.1 * FONT_SIZE, 1.1 * FONT_SIZE):
        y = min(max(anchor[1] + shift, half_height + 2), fr.height - half_height - 2)
        box = (x - half_width, y - half_height, x + half_width, y + half_height)
        if not any(overlaps(box, other) for other in taken):
            return (x, y + 0.35 * FONT_SIZE), box
    return None


def draw_labels(kind: str, by_iso: dict[str, MapArea], legend_box: Box) -> str:
    """Names of the highlighted, marked and shaded states, most important first;
    a name with no free place is left out (the link's title still gives it)."""
    wanted = sorted(
        (a for a in by_iso.values() if a.value > 0 or a.highlighted or a.marked),
        key=lambda a: (not a.highlighted, not a.marked, -a.value, a.label, a.iso_numeric),
    )
    taken, texts = [legend_box], []
    for area in wanted:
        points = label_anchor(kind, area.iso_numeric)
        placed = place_label(area.label, points[0], taken, frame(kind)) if points else None
        if points is None or placed is None:
            continue
        (x, y), box = placed
        taken.append(box)
        if points[0] != points[1]:
            texts.append(leader(points[1], box))
        css = "map-label map-label-hl" if area.highlighted else "map-label"
        texts.append(f'<text class="{css}" x="{coordinate(x)}" y="{coordinate(y)}">{escape(area.label)}</text>')
    # paint-order: the halo (a stroke in the page's colour, from CSS) goes under the letters
    return (f'<g class="map-labels" aria-hidden="true" font-size="{FONT_SIZE}" text-anchor="middle"'
            f' paint-order="stroke">{"".join(texts)}</g>')


def leader(centre: Point, box: Box) -> str:
    """A line from a small state to the nearest point of its label's box."""
    x, y = min(max(centre[0], box[0]), box[2]), min(max(centre[1], box[1]), box[3])
    points = (round(centre[0] * 10), round(centre[1] * 10), round(x * 10), round(y * 10))
    return f'<path class="map-leader" d="M{numbers(points[:2])}L{numbers(points[2:])}"/>'


def coordinate(value: float) -> str:
    """A coordinate to one decimal, shortly written."""
    return decimal(round(value * 10))


def draw_legend(
    fr: Frame, legend: str, classes: dict[int, int], marked_label: str, by_iso: dict[str, MapArea]
) -> tuple[str, Box]:
    """The legend in the bottom left corner (open sea on both maps), and the box it covers."""
    rows = [("map-land", "0"), *legend_rows(classes)]
    if marked_label and any(a.marked for a in by_iso.values()):
        rows.append(("map-land map-marked", marked_label))
    rows += [("map-hl", a.label) for a in by_iso.values() if a.highlighted]
    line = round(FONT_SIZE * 1.5)
    left, top = 10, round(fr.height - line * (len(rows) + 1) - 6)
    parts = [f'<text class="map-legend-title" x="{left}" y="{top + FONT_SIZE}">{escape(legend)}</text>']
    for row, (css, text) in enumerate(rows, start=1):
        y = top + row * line
        parts.append(f'<rect class="{css}" x="{left}" y="{y + 2}" width="16" height="{FONT_SIZE - 1}"/>'
                     f'<text x="{left + 22}" y="{y + FONT_SIZE}">{escape(text)}</text>')
    longest = max(len(text) for text in (legend, *(text for _, text in rows)))
    box = (left, top, left + 22 + 0.6 * FONT_SIZE * longest, fr.height)
    return f'<g class="map-legend" font-size="{FONT_SIZE}">{"".join(parts)}</g>', box
