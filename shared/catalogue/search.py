"""National service search: PostgreSQL full-text search plus trigram similarity.

How a query is answered (at most two queries, however many services there are):

1. The query is normalised (lower case, letters and digits only) and words that express intent
   rather than subject ("buat", "cara", "urus" …) are set aside.
2. Each remaining word is looked up in the catalogue's own vocabulary (``SearchTerm``, every word
   of every search document). A word that is not there is corrected to the vocabulary words that
   look most like it by trigram similarity — the recipe of the pg_trgm documentation — so
   "pasport" also searches "paspor". Known Indonesian spelling variants ("ijin"/"izin",
   "akte"/"akta") are added whatever the vocabulary says.
3. One ranked query over ``ServiceSearchDocument``: a full-text match in the ``indonesian``
   configuration (stemmed, so "pembuatan" meets "buat"), or a trigram word-similarity match on
   the name, synonyms and agency. Ranking: exact name first, then a synonym or the name
   containing the query, then how many query words matched, then the weighted text rank
   (name and synonyms > agency, category, life events > summary, product > requirements).

Documents are rewritten by ``search_refresh``, which every catalogue write calls.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Prefetch

from shared.catalogue.models import (
    SEARCH_CONFIG,
    Requirement,
    SearchTerm,
    Service,
    ServiceSearchDocument,
)

_WORD = re.compile(r"[a-z0-9]+")
_SEPARATORS = re.compile(r"[^a-z0-9]+")

MAX_QUERY_WORDS = 8
MIN_CORRECTION_SIMILARITY = 0.4
CORRECTION_SPREAD = 0.1  # keep corrections within this much of the best one
MAX_CORRECTIONS = 3

# Words that say what the citizen wants to do, not which service: "buat paspor",
# "cara urus ktp", "mau bikin sim". Dropped unless nothing else is left.
FILLER_WORDS = frozenset(
    [
        "buat",
        "bikin",
        "membuat",
        "dibuat",
        "cara",
        "urus",
        "mengurus",
        "ngurus",
        "diurus",
        "pengurusan",
        "mau",
        "ingin",
        "saya",
        "aku",
        "kami",
        "minta",
        "tolong",
        "bagaimana",
        "gimana",
        "dimana",
        "mana",
        "apa",
        "apakah",
        "yang",
        "di",
        "ke",
        "dari",
        "dan",
        "atau",
        "untuk",
        "dengan",
        "dong",
        "sih",
        "nya",
        "mpp",
        "layanan",
        "pelayanan",
        "online",
        "daring",
        "syarat",
        "persyaratan",
        "tentang",
        "info",
        "informasi",
    ]
)

# Spelling variants and everyday words for the same thing: any member in a query also searches
# the others. Typos are handled by the vocabulary correction; these are variants that trigram
# similarity cannot bridge ("ijin"/"izin" share too few trigrams).
VARIANT_GROUPS: tuple[tuple[str, ...], ...] = (
    ("izin", "ijin"),
    ("akta", "akte"),
    ("paspor", "pasport", "passport", "pasfor"),
    ("sertifikat", "sertipikat"),
    ("ktp", "ektp", "ktpel"),
    ("nikah", "kawin", "perkawinan", "pernikahan"),
    ("kematian", "meninggal", "wafat"),
    ("kelahiran", "lahir"),
    ("foto", "photo"),
    ("listrik", "pln"),
    ("npwp", "pajak"),
    ("tabungan", "rekening"),
    ("pindah", "pindahan"),
)
_VARIANTS: dict[str, tuple[str, ...]] = {
    word: tuple(w for w in group if w != word) for group in VARIANT_GROUPS for word in group
}


def normalize(text: str | None) -> str:
    """Lower case, letters and digits, single spaces: "KTP-el (Baru)" → "ktp el baru"."""
    return " ".join(_WORD.findall((text or "").lower()))


def words_of(text: str | None) -> list[str]:
    return _WORD.findall((text or "").lower())


# --- the index -----------------------------------------------------------------------------------


def _document_for(service: Service) -> ServiceSearchDocument:
    agency = service.agency
    agency_parts = [agency.name, agency.abbreviation, agency.code.replace("-", " ")]
    if agency.parent is not None:
        agency_parts += [agency.parent.name, agency.parent.abbreviation]
    synonyms = [s.strip() for s in (service.synonyms or "").split(",") if s.strip()]
    life_events = [e.name for e in service.life_events.all()]
    requirements = []
    for req in service.requirements.all():
        if req.document_type is not None:
            requirements.append(req.document_type.name)
        if req.text:
            requirements.append(req.text)
    aliases = [normalize(s) for s in synonyms]
    return ServiceSearchDocument(
        service=service,
        is_active=service.is_active,
        name_norm=normalize(service.name)[:300],
        aliases="|" + "|".join(a for a in aliases if a) + "|",
        trigram_text=normalize(
            " ".join([service.name, *synonyms, agency.name, agency.abbreviation])
        ),
        weight_a="\n".join([service.name, *synonyms]),
        weight_b="\n".join(
            [*agency_parts, service.category.name if service.category else "", *life_events]
        ),
        weight_c="\n".join([service.summary, service.product]),
        weight_d="\n".join(requirements),
    )


def search_refresh(service_ids: Iterable[int] | None = None) -> int:
    """Rewrite the search documents of these services (all when None) and grow the vocabulary.

    Called by every catalogue write, inside its transaction, so the index never lags the
    catalogue. Words are never removed from the vocabulary here: a stale word only means a
    correction that finds nothing; ``search_rebuild_vocabulary`` prunes them.
    """
    services = Service.objects.select_related("agency__parent", "category").prefetch_related(
        "life_events",
        Prefetch(
            "requirements",
            queryset=Requirement.objects.select_related("document_type").order_by("position", "id"),
        ),
    )
    if service_ids is not None:
        ids = list(service_ids)
        if not ids:
            return 0
        services = services.filter(pk__in=ids)
    documents = [_document_for(s) for s in services.iterator(chunk_size=500)]
    ServiceSearchDocument.objects.bulk_create(
        documents,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["service"],
        update_fields=[
            "is_active",
            "name_norm",
            "aliases",
            "trigram_text",
            "weight_a",
            "weight_b",
            "weight_c",
            "weight_d",
        ],
    )
    vocabulary: set[str] = set()
    for doc in documents:
        for text in (doc.weight_a, doc.weight_b, doc.weight_c, doc.weight_d):
            vocabulary.update(w for w in words_of(text) if 2 <= len(w) <= 64)
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=w) for w in sorted(vocabulary)], batch_size=1000, ignore_conflicts=True
    )
    return len(documents)


def search_rebuild_vocabulary() -> int:
    """Rebuild the vocabulary from the current documents only (drops words no longer used)."""
    SearchTerm.objects.all().delete()
    vocabulary: set[str] = set()
    for texts in ServiceSearchDocument.objects.values_list(
        "weight_a", "weight_b", "weight_c", "weight_d"
    ).iterator(chunk_size=1000):
        for text in texts:
            vocabulary.update(w for w in words_of(text) if 2 <= len(w) <= 64)
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=w) for w in sorted(vocabulary)], batch_size=1000
    )
    return len(vocabulary)


# --- the query -----------------------------------------------------------------------------------


@dataclass
class ParsedQuery:
    text: str  # the whole query, normalised
    words: list[str]  # the words searched for (fillers removed unless nothing else was left)
    alternatives: list[list[str]] = field(default_factory=list)  # per word, what it matches
    prefix: list[bool] = field(default_factory=list)  # per word, also match as a prefix
    corrected: str = ""  # the query with each unknown word replaced by its best correction

    @property
    def phrases(self) -> list[str]:
        """The whole-query forms an exact name or synonym is compared with."""
        out = []
        for phrase in (self.text, " ".join(self.words), self.corrected):
            if phrase and phrase not in out:
                out.append(phrase)
        return out

    def tsquery(self) -> str:
        """to_tsquery text: each word's alternatives OR-ed, and the words OR-ed (ranking rewards
        documents that match more of them). Only [a-z0-9] reaches here, so nothing to escape."""
        return " | ".join(self.group(i) for i in range(len(self.words)))

    def tsquery_all(self) -> str:
        """to_tsquery text that needs every word (through its alternatives)."""
        return " & ".join(self.group(i) for i in range(len(self.words)))

    def group(self, i: int) -> str:
        alts = [
            a + (":*" if self.prefix[i] and a == self.words[i] else "")
            for a in self.alternatives[i]
        ]
        return "(" + " | ".join(alts) + ")"


def parse_query(raw: str) -> ParsedQuery:
    """Normalise and correct a query (one database query for the vocabulary)."""
    text = normalize(raw)[:200]
    all_words = list(dict.fromkeys(text.split()))[:MAX_QUERY_WORDS]
    words = [w for w in all_words if w not in FILLER_WORDS] or all_words
    parsed = ParsedQuery(text=text, words=words)
    if not words:
        return parsed
    candidates = _vocabulary_matches(words)
    corrected = []
    for word in words:
        alts = [word, *_VARIANTS.get(word, ())]
        matches = candidates.get(word, [])
        known = any(term == word for term, _ in matches)
        prefix = False
        best = word
        if not known and len(word) >= 3:
            good = [(t, s) for t, s in matches if s >= MIN_CORRECTION_SIMILARITY]
            if good:
                top = good[0][1]
                fixes = [t for t, s in good if s >= top - CORRECTION_SPREAD][:MAX_CORRECTIONS]
                best = fixes[0]
                alts += fixes
            # An unknown word may be one being typed: "pasp" → "paspor".
            prefix = True
        parsed.alternatives.append(list(dict.fromkeys(alts)))
        parsed.prefix.append(prefix)
        corrected.append(best)
    parsed.corrected = " ".join(corrected)
    return parsed


def _vocabulary_matches(words: list[str]) -> dict[str, list[tuple[str, float]]]:
    """For each word, the vocabulary words most like it (an exact hit has similarity 1)."""
    sql = """
        SELECT q.w, t.term, similarity(t.term, q.w) AS sim
        FROM unnest(%s::text[]) AS q(w)
        CROSS JOIN LATERAL (
            SELECT term FROM catalogue_searchterm
            WHERE term %% q.w
            ORDER BY similarity(term, q.w) DESC, term
            LIMIT 5
        ) AS t
    """
    out: dict[str, list[tuple[str, float]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [words])
        for word, term, sim in cursor.fetchall():
            out.setdefault(word, []).append((term, float(sim)))
    return out


@dataclass
class SearchFilters:
    agency: str | None = None  # agency code
    category: str | None = None  # category code
    life_event: str | None = None  # life event code
    province: str | None = None  # province code: only services offered by a live MPP there


@dataclass
class SearchHit:
    service_id: int
    tier: int
    coverage: int
    rank: float
    similarity: float


def search_service_ids(
    parsed: ParsedQuery, *, filters: SearchFilters | None = None, limit: int = 20, offset: int = 0
) -> tuple[list[SearchHit], int]:
    """The ranked page of matching service ids and the total number of matches.

    Tried in turn, stopping at the first that matches anything (usually one query):

    1. every query word matches (each word through its variants and corrections), so that
       "surat kelakuan baik" does not report every service that mentions "surat";
    2. any query word matches, ranked by how many do;
    3. trigram word similarity on names, synonyms and agencies (words run together, a typo the
       vocabulary could not place). Trigram similarity costs more per row than the rest of the
       search together, so it never runs over the rows a text match already found.
    """
    if not parsed.words:
        return [], 0
    filters = filters or SearchFilters()
    modes = ("all", "any", "fuzzy") if len(parsed.words) > 1 else ("any", "fuzzy")
    for mode in modes:
        rows = _ranked(parsed, filters, limit=limit, offset=offset, mode=mode)
        if not rows and offset:
            first = _ranked(parsed, filters, limit=1, offset=0, mode=mode)
            if first:  # past the last page: still say how many there are
                return [], first[0][1]
        if rows:
            hits = [
                SearchHit(
                    service_id=r[0],
                    tier=r[2],
                    coverage=r[3],
                    rank=float(r[4]),
                    similarity=float(r[5]),
                )
                for r in rows
            ]
            return hits, rows[0][1]
    return [], 0


def _ranked(parsed: ParsedQuery, filters: SearchFilters, *, limit: int, offset: int, mode: str):
    params: dict[str, Any] = {
        "cfg": SEARCH_CONFIG,
        "tsq": parsed.tsquery(),
        "text": " ".join(parsed.words),
        "phrases": parsed.phrases,
        "alias_patterns": [f"%|{p}|%" for p in parsed.phrases],
        "phrase_patterns": [f"% {p} %" for p in parsed.phrases],
        "limit": limit,
        "offset": offset,
    }
    rank = "ts_rank(d.vector, to_tsquery(%(cfg)s::regconfig, %(tsq)s))"
    similarity = "0"
    if mode == "fuzzy":
        match = "%(text)s <%% d.trigram_text"
        coverage = rank = "0"
        similarity = "word_similarity(%(text)s, d.trigram_text)"
    elif mode == "all":
        params["tsq_all"] = parsed.tsquery_all()
        match = "d.vector @@ to_tsquery(%(cfg)s::regconfig, %(tsq_all)s)"
        coverage = str(len(parsed.words))  # every word matched
    else:
        match = "d.vector @@ to_tsquery(%(cfg)s::regconfig, %(tsq)s)"
        groups = []
        for i in range(len(parsed.words)):
            params[f"g{i}"] = parsed.group(i)
            groups.append(f"(d.vector @@ to_tsquery(%(cfg)s::regconfig, %(g{i})s))::int")
        coverage = " + ".join(groups)
    where = [match, "d.is_active"]
    if filters.agency:
        where.append(
            "d.service_id IN (SELECT s.id FROM catalogue_service s"
            " JOIN catalogue_agency a ON a.id = s.agency_id"
            " LEFT JOIN catalogue_agency p ON p.id = a.parent_id"
            " WHERE a.code = %(agency)s OR p.code = %(agency)s)"
        )
        params["agency"] = filters.agency
    if filters.category:
        where.append(
            "d.service_id IN (SELECT s.id FROM catalogue_service s"
            " JOIN catalogue_category c ON c.id = s.category_id WHERE c.code = %(category)s)"
        )
        params["category"] = filters.category
    if filters.life_event:
        where.append(
            "d.service_id IN (SELECT sl.service_id FROM catalogue_service_life_events sl"
            " JOIN catalogue_lifeevent le ON le.id = sl.lifeevent_id WHERE le.code = %(life)s)"
        )
        params["life"] = filters.life_event
    if filters.province:
        where.append(
            "EXISTS (SELECT 1 FROM catalogue_serviceavailability sa"
            " JOIN regions_region r ON r.id = sa.region_id"
            " JOIN onboarding_mpp m ON m.region_id = r.id"
            " WHERE sa.service_id = d.service_id AND m.status = 'live'"
            " AND r.province_id = %(province)s)"
        )
        params["province"] = filters.province
    # Every identifier and expression here is fixed; only values travel as parameters.
    sql = f"""
        SELECT d.service_id,
               count(*) OVER () AS total,
               CASE WHEN d.name_norm = ANY(%(phrases)s) THEN 3
                    WHEN d.aliases LIKE ANY(%(alias_patterns)s) THEN 2
                    WHEN ' ' || d.name_norm || ' ' LIKE ANY(%(phrase_patterns)s) THEN 1
                    ELSE 0 END AS tier,
               {coverage} AS coverage,
               {rank} AS rank,
               {similarity} AS sim
        FROM catalogue_servicesearchdocument d
        WHERE {" AND ".join(where)}
        ORDER BY tier DESC, coverage DESC, rank DESC, sim DESC, d.name_norm, d.service_id
        LIMIT %(limit)s OFFSET %(offset)s
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
