"""The OpenAPI 3 description of the read-only open-data API, written by hand."""

FILES = [
    "results.json",
    "results.csv",
    "submissions.json",
    "submissions.csv",
    "datasets.json",
    "datasets.csv",
    "results.xlsx",
    "submissions.xlsx",
    "datasets.xlsx",
]

_SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "The edition's slug, e.g. hackqc-2026.",
    "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
}

_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}
_INT = {"type": "integer"}
_NINT = {"type": ["integer", "null"]}

_EDITION = {
    "type": "object",
    "properties": {"slug": _STR, "name": _STR, "year": _INT},
}
_LICENCE = {"type": "object", "properties": {"id": _STR, "title": _STR, "url": _STR}}
_DATASET_REF = {
    "type": "object",
    "properties": {"ckan_id": {"type": "string", "format": "uuid"}, "name": _STR},
}
_SUBMISSION = {
    "type": "object",
    "properties": {
        "id": _INT,
        "title": _STR,
        "pitch": _STR,
        "team": {**_STR, "description": "Team name (no member is named)."},
        "challenge_number": _NINT,
        "challenge_title": _NSTR,
        "repository_url": _NSTR,
        "licence": _NSTR,
        "datasets": {"type": "array", "items": {"$ref": "#/components/schemas/DatasetRef"}},
    },
}
_RESULTS = {
    "type": "object",
    "properties": {
        "edition": {"$ref": "#/components/schemas/Edition"},
        "licence": {"$ref": "#/components/schemas/Licence"},
        "published_at": {"type": "string", "format": "date-time"},
        "method": {"type": "array", "items": {"type": "object"}},
        "scores_hash": _STR,
        "corrections": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "withdrawn_at": {"type": "string", "format": "date-time"},
                    "reason": _STR,
                },
            },
        },
        "prizes": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": _STR,
                    "sponsor": _STR,
                    "reward": _STR,
                    "priority": _INT,
                    "places": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "place": _INT,
                                "submission": {
                                    "oneOf": [
                                        {"$ref": "#/components/schemas/Submission"},
                                        {"type": "null"},
                                    ]
                                },
                            },
                        },
                    },
                },
            },
        },
        "ranking": {
            "type": ["array", "null"],
            "description": "The published ranking (the round the organizers chose).",
            "items": {"$ref": "#/components/schemas/RankingEntry"},
        },
        "rankings": {
            "type": ["array", "null"],
            "description": "Each deciding round's ranking, the published one first.",
            "items": {
                "type": "object",
                "properties": {
                    "round": _INT,
                    "round_name": _STR,
                    "sponsor": _STR,
                    "published": {
                        "type": "boolean",
                        "description": "True for the round whose ranking is the ranking.",
                    },
                    "method": {"type": "object"},
                    "entries": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/RankingEntry"},
                    },
                },
            },
        },
    },
}
_RANKING_ENTRY = {
    "type": "object",
    "properties": {
        "rank": _INT,
        "score": {"type": "number"},
        "submission_id": _INT,
        "title": _STR,
        "team": _STR,
        "tie_break": {
            **_NSTR,
            "description": (
                "The tie-break step that placed the entry: null (its score alone), "
                "tiebreak_criterion, mean_review, review_count or previous_round_score."
            ),
        },
        "tied": {"type": "boolean", "description": "A tie that survived every step."},
    },
}
_DATASET = {
    "type": "object",
    "properties": {
        "ckan_id": {"type": "string", "format": "uuid"},
        "name": _STR,
        "title": _STR,
        "organization_name": _NSTR,
        "organization_title": _NSTR,
        "url": _STR,
        "reuse_count": _INT,
    },
}


def _json(schema_ref, summary, description):
    return {
        "get": {
            "summary": summary,
            "description": description,
            "parameters": [_SLUG],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": {"$ref": schema_ref}}},
                },
                "404": {"description": "Unknown edition, or not public yet."},
            },
        }
    }


def _csv(summary, description, content_type="text/csv"):
    return {
        "get": {
            "summary": summary,
            "description": description,
            "parameters": [_SLUG],
            "responses": {
                "200": {"description": "OK", "content": {content_type: {"schema": _STR}}},
                "404": {"description": "Unknown edition, or not public yet."},
            },
        }
    }


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(summary, description):
    """The CSV's rows and columns as an Excel workbook of one sheet, for people."""
    return _csv(summary + " (XLSX, same rows and columns as the CSV)", description, XLSX)


def schema() -> dict:
    results_note = "Answers 404 until the results are published."
    gallery_note = "Answers 404 until the gallery opens (submissions closed)."
    wrapper = {
        "Results": _RESULTS,
        "Submissions": {
            "type": "object",
            "properties": {
                "edition": {"$ref": "#/components/schemas/Edition"},
                "licence": {"$ref": "#/components/schemas/Licence"},
                "submissions": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/Submission"},
                },
            },
        },
        "Datasets": {
            "type": "object",
            "properties": {
                "edition": {"$ref": "#/components/schemas/Edition"},
                "licence": {"$ref": "#/components/schemas/Licence"},
                "datasets": {"type": "array", "items": {"$ref": "#/components/schemas/Dataset"}},
            },
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "HackQC open data",
            "version": "1.0.0",
            "description": "Read-only results, projects and dataset reuse of HackQC editions.",
            "license": {"name": "CC BY 4.0", "identifier": "CC-BY-4.0"},
        },
        "paths": {
            "/open-data/": {
                "get": {
                    "summary": "Editions and their open-data files",
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
            "/open-data/openapi.json": {
                "get": {
                    "summary": "This schema",
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
            "/open-data/{slug}/results.json": _json(
                "#/components/schemas/Results", "Published results", results_note
            ),
            "/open-data/{slug}/results.csv": _csv(
                "Published results, one row per place (and per ranked project)", results_note
            ),
            "/open-data/{slug}/submissions.json": _json(
                "#/components/schemas/Submissions", "Submitted projects", gallery_note
            ),
            "/open-data/{slug}/submissions.csv": _csv("Submitted projects", gallery_note),
            "/open-data/{slug}/datasets.json": _json(
                "#/components/schemas/Datasets", "Datasets reused and reuse counts", gallery_note
            ),
            "/open-data/{slug}/datasets.csv": _csv(
                "Datasets reused and reuse counts", gallery_note
            ),
            "/open-data/{slug}/results.xlsx": _xlsx("Published results", results_note),
            "/open-data/{slug}/submissions.xlsx": _xlsx("Submitted projects", gallery_note),
            "/open-data/{slug}/datasets.xlsx": _xlsx(
                "Datasets reused and reuse counts", gallery_note
            ),
            "/open-data/{slug}/showcases/{id}.json": {
                "get": {
                    "summary": "ckanext-showcase payload of a winning project",
                    "parameters": [
                        _SLUG,
                        {"name": "id", "in": "path", "required": True, "schema": _INT},
                    ],
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "404": {"description": "Not a winner, or results not public."},
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Edition": _EDITION,
                "Licence": _LICENCE,
                "DatasetRef": _DATASET_REF,
                "Submission": _SUBMISSION,
                "RankingEntry": _RANKING_ENTRY,
                "Dataset": _DATASET,
                **wrapper,
            }
        },
    }
