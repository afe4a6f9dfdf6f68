import CurioJSON
import CurioCore
import CurioKit
import Foundation

/// The OpenAPI 3.1 description of the HTTP API, served at `GET /v1/openapi.json`.
///
/// Written by hand next to the routes; a test checks that every route of ``CurioAPI`` appears here with the same
/// path, method and operationId, and that every problem type is documented.
public enum OpenAPIDocument {
    /// The document as encoded JSON (built once).
    public static let json: Data = (try? APIJSON.encoder.encode(withVisits(value))) ?? Data("{}".utf8)

    /// The document.
    public static var value: JSONValue {
        [
            "openapi": "3.1.0",
            "info": [
                "title": "Curio API",
                "version": .string(CurioVersion.string),
                "summary": "Collection records, search and visitor events of a Curio museum recommendation engine.",
                "description": """
                    JSON over HTTP. Errors are RFC 9457 problem details (application/problem+json) with a `type` URI \
                    that resolves to a description of the problem. Write endpoints need the API key configured with \
                    CURIO_API_KEY, sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`. Request bodies are \
                    limited to 1 MiB by default.
                    """,
            ],
            "servers": [["url": "http://127.0.0.1:8080", "description": "Local `curio serve`"]],
            "tags": .array([
                ["name": "items", "description": "Collection records"],
                ["name": "events", "description": "Visitor interactions"],
                ["name": "meta", "description": "Health, documentation"],
            ] + RecommendationOpenAPI.tags),
            "paths": paths.merging(RecommendationOpenAPI.paths),
            "components": [
                "schemas": schemas.merging(RecommendationOpenAPI.schemas),
                "parameters": parameters,
                "responses": responses,
                "securitySchemes": [
                    "bearer": ["type": "http", "scheme": "bearer", "description": "The API key as a bearer token."],
                    "apiKey": ["type": "apiKey", "in": "header", "name": "X-API-Key", "description": "The API key."],
                ],
            ],
        ]
    }

    // MARK: Paths

    static var paths: JSONValue {
        [
            "/health": [
                "get": operation("getHealth", tag: "meta", summary: "Liveness and readiness",
                                 description: "`ok` with the number of stored items, or 503 when the database cannot be read.",
                                 responses: [
                                     "200": jsonResponse("The server and its database work.", schema: ref("Health")),
                                     "400": problem("InvalidParameters"),
                                     "503": jsonResponse("The database cannot be read.", schema: ref("Health")),
                                 ]),
            ],
            "/v1/items": [
                "get": operation("listItems", tag: "items", summary: "List items, filtered and paged",
                                 description: "Filters combine with AND. Items are in stable id order.",
                                 parameters: [
                                     query("maker", "Substring of a maker's name, or an exact agent id.", schema: ["type": "string", "maxLength": 200]),
                                     query("subject", "A subject id or label; matches narrower subjects too.", schema: ["type": "string", "maxLength": 200]),
                                     query("from", "Items whose date range overlaps from…to (years; negative for BCE).", schema: ["type": "integer", "minimum": -50_000, "maximum": 2_200]),
                                     query("to", "End year of the range (inclusive).", schema: ["type": "integer", "minimum": -50_000, "maximum": 2_200]),
                                     query("medium", "Substring of the medium.", schema: ["type": "string", "maxLength": 200]),
                                     query("source", "Exact source (tate, csv, linked-art, paintings).", schema: ["type": "string", "maxLength": 50]),
                                 ] + visualFilterParameters + [
                                     query("page", "Page number, starting at 1.", schema: ["type": "integer", "minimum": 1, "maximum": 1_000_000, "default": 1]),
                                     query("page_size", "Items per page.", schema: ["type": "integer", "minimum": 1, "maximum": .number(Double(CurioAPI.maximumPageSize)), "default": 50]),
                                 ],
                                 responses: [
                                     "200": jsonResponse("One page of item summaries.", schema: ref("ItemPage")),
                                     "400": problem("InvalidParameters"),
                                 ]),
            ],
            "/v1/items/{id}": [
                "get": operation("getItem", tag: "items", summary: "One item in full",
                                 parameters: [[
                                     "name": "id", "in": "path", "required": true,
                                     "description": "The item's identifier from the source catalogue (Tate: accession number such as N05742).",
                                     "schema": ["type": "string", "maxLength": 200],
                                 ]],
                                 responses: [
                                     "200": jsonResponse("The item.", schema: ref("Item")),
                                     "400": problem("InvalidParameters"),
                                     "404": problem("ItemNotFound"),
                                 ]),
            ],
            "/v1/search": [
                "get": operation("searchItems", tag: "items", summary: "Search the collection",
                                 description: "lexical: BM25 over titles, descriptions, makers, subjects and medium. semantic: cosine between the query's and the items' text embeddings (all-MiniLM-L6-v2). hybrid (default): reciprocal rank fusion of both, answering lexically (mode in the response says so) while no embeddings exist. Best first. colour, brightness and colourfulness restrict the results to items whose image descriptors match; the ranking is then taken over those items only.",
                                 parameters: [
                                     query("q", "The search text.", required: true, schema: ["type": "string", "minLength": 1, "maxLength": 500]),
                                     query("k", "How many results.", schema: ["type": "integer", "minimum": 1, "maximum": .number(Double(CurioAPI.maximumResults)), "default": 10]),
                                     query("mode", "Ranking: lexical, semantic or hybrid.", schema: ["type": "string", "enum": ["lexical", "semantic", "hybrid"], "default": "hybrid"]),
                                     query("modality", "text (default): search the records; image: text→image search, ranking items by the cosine between the query's MiniLM embedding and their images projected into the text space (`curio fuse`), so that works with thin records are found by what they show. `mode` and the visual filters are ignored for image; the response's `mode` is `image`.", schema: ["type": "string", "enum": ["text", "image"], "default": "text"]),
                                 ] + visualFilterParameters,
                                 responses: [
                                     "200": jsonResponse("The best matches.", schema: ref("SearchResults")),
                                     "400": problem("InvalidParameters"),
                                     "409": problem("ModalityUnavailable"),
                                     "503": problem("SearchUnavailable"),
                                 ]),
            ],
            "/v1/events": [
                "post": operation("postEvents", tag: "events", summary: "Record visitor events",
                                  description: """
                                      Appends a batch of events in one transaction: either every event is stored or none. \
                                      Each event is validated (ratings 1 to 5, dwell within a day, not in the future, known \
                                      item); a 422 problem lists every invalid event by JSON Pointer. Exact duplicates of \
                                      stored events are counted and not stored again.
                                      """,
                                  security: true,
                                  requestBody: [
                                      "required": true,
                                      "content": ["application/json": ["schema": [
                                          "oneOf": [
                                              ["type": "array", "items": ref("Event"), "minItems": 1, "maxItems": 10_000],
                                              ref("EventBatch"),
                                          ],
                                      ]]],
                                  ],
                                  responses: [
                                      "200": jsonResponse("The batch was stored.", schema: ref("EventsAccepted")),
                                      "400": problem("MalformedJSON"),
                                      "401": problem("Unauthorized"),
                                      "413": problem("PayloadTooLarge"),
                                      "415": problem("UnsupportedMediaType"),
                                      "422": problem("ValidationFailed"),
                                      "503": problem("WritesDisabled"),
                                  ]),
            ],
            "/v1/openapi.json": [
                "get": operation("getOpenAPI", tag: "meta", summary: "This document",
                                 responses: ["200": jsonResponse("The OpenAPI 3.1 document.", schema: ["type": "object"])]),
            ],
            "/v1/problems/{type}": [
                "get": operation("getProblemType", tag: "meta", summary: "What a problem type means",
                                 description: "The `type` of every problem response resolves here.",
                                 parameters: [[
                                     "name": "type", "in": "path", "required": true,
                                     "schema": ["type": "string", "enum": .array(ProblemType.allCases.map { .string($0.rawValue) })],
                                 ]],
                                 responses: [
                                     "200": jsonResponse("The problem type.", schema: ref("ProblemType")),
                                     "404": problem("NotFound"),
                                 ]),
            ],
        ]
    }

    // MARK: Components

    static var schemas: JSONValue {
        let text: JSONValue = ["type": "string"]
        let optionalText: JSONValue = ["type": ["string", "null"]]
        let conceptRef: JSONValue = [
            "type": "object", "required": ["id"],
            "properties": ["id": ["type": "string", "examples": ["tate:subject:1050"]], "label": text],
        ]
        return [
            "Item": [
                "type": "object",
                "required": ["id", "source", "title", "makers", "subjects", "movements", "images"],
                "properties": [
                    "id": ["type": "string", "examples": ["N05742"]],
                    "source": ["type": "string", "examples": ["tate"]],
                    "title": text,
                    "alternate_titles": ["type": "object", "additionalProperties": text, "description": "Titles keyed by BCP 47 language tag."],
                    "description": text,
                    "makers": ["type": "array", "items": [
                        "type": "object", "required": ["agent_id", "name", "role"],
                        "properties": ["agent_id": text, "name": text, "role": text],
                    ]],
                    "date": [
                        "type": "object", "required": ["text", "start_year", "end_year", "is_circa"],
                        "properties": ["text": text, "start_year": ["type": "integer"], "end_year": ["type": "integer"], "is_circa": ["type": "boolean"]],
                    ],
                    "medium": text, "classification": text, "dimensions": text,
                    "width_mm": ["type": "number"], "height_mm": ["type": "number"], "depth_mm": ["type": "number"],
                    "subjects": ["type": "array", "items": conceptRef],
                    "movements": ["type": "array", "items": conceptRef],
                    "credit_line": text, "acquisition_year": ["type": "integer"], "rights": text,
                    "url": ["type": "string", "format": "uri"],
                    "images": ["type": "array", "items": [
                        "type": "object", "required": ["kind", "location"],
                        "properties": ["kind": ["type": "string", "enum": ["file", "url", "iiif"]], "location": text, "licence": text],
                    ]],
                    "visual": [
                        "type": "object",
                        "description": "Visual descriptors of the item's local image, computed by `curio embed` (absent until then, and for items without a local image).",
                        "required": ["palette", "colour_names", "brightness", "brightness_level", "contrast", "colourfulness", "colourfulness_level"],
                        "properties": [
                            "palette": ["type": "array", "description": "Up to five dominant colours (k-means in CIELAB), largest share first.", "items": [
                                "type": "object", "required": ["name", "hex", "share", "lab"],
                                "properties": [
                                    "name": ["type": "string", "examples": ["ochre"]],
                                    "hex": ["type": "string", "pattern": "^#[0-9A-F]{6}$"],
                                    "share": ["type": "number", "minimum": 0, "maximum": 1],
                                    "lab": ["type": "array", "items": ["type": "number"], "minItems": 3, "maxItems": 3, "description": "CIELAB (D65) L*, a*, b*."],
                                ],
                            ]],
                            "colour_names": ["type": "array", "items": text, "description": "Distinct colour names by decreasing share."],
                            "brightness": ["type": "number", "description": "Mean L*, 0 (black) to 100 (white)."],
                            "brightness_level": ["type": "string", "enum": ["dark", "medium", "bright"]],
                            "contrast": ["type": "number", "description": "Standard deviation of L*."],
                            "colourfulness": ["type": "number", "description": "Hasler–Süsstrunk M: 0 grey, ~15 slightly, ~33 moderately, ~59 quite colourful."],
                            "colourfulness_level": ["type": "string", "enum": ["muted", "moderate", "colourful"]],
                        ],
                    ],
                ],
            ],
            "ItemSummary": [
                "type": "object", "required": ["id", "title", "makers", "source"],
                "properties": [
                    "id": text, "title": text, "makers": ["type": "array", "items": text], "date": text, "medium": text,
                    "source": text, "url": ["type": "string", "format": "uri"],
                ],
            ],
            "ItemPage": [
                "type": "object", "required": ["items", "total", "page", "page_size", "pages"],
                "properties": [
                    "items": ["type": "array", "items": ref("ItemSummary")],
                    "total": ["type": "integer", "description": "Matches over all pages."],
                    "page": ["type": "integer", "minimum": 1], "page_size": ["type": "integer"],
                    "pages": ["type": "integer"],
                ],
            ],
            "SearchResults": [
                "type": "object", "required": ["query", "mode", "results"],
                "properties": [
                    "query": text, "mode": ["type": "string", "enum": ["lexical", "semantic", "hybrid"]],
                    "results": ["type": "array", "items": [
                        "type": "object", "required": ["item", "score"],
                        "properties": ["item": ref("ItemSummary"), "score": ["type": "number", "description": "BM25 score; higher is better."], "snippet": text],
                    ]],
                ],
            ],
            "Event": [
                "type": "object", "required": ["visitor", "item", "kind"], "additionalProperties": false,
                "properties": [
                    "visitor": ["type": "string", "minLength": 1, "maxLength": 200, "description": "Pseudonymous visitor id chosen by the app."],
                    "item": ["type": "string", "minLength": 1, "maxLength": 200, "description": "A stored item's id."],
                    "kind": ["type": "string", "enum": .array(EventKindNames.all.map { .string($0) })],
                    "value": ["type": ["number", "null"], "description": "Rating 1 to 5 for `rate`; seconds (0 to 86400) for `dwell`."],
                    "timestamp": [
                        "oneOf": [["type": "string", "format": "date-time"], ["type": "number", "description": "Seconds since 1970."]],
                        "description": "When it happened; at most 5 minutes in the future. Defaults to the time the server received the request.",
                    ],
                    "session": optionalText, "room": optionalText, "device": optionalText,
                ],
                "examples": [["visitor": "v-1029", "item": "N05742", "kind": "dwell", "value": 42, "timestamp": "2024-05-01T10:15:00Z", "room": "room-3"]],
            ],
            "EventBatch": [
                "type": "object", "required": ["events"], "additionalProperties": false,
                "properties": ["events": ["type": "array", "items": ref("Event"), "minItems": 1, "maxItems": 10_000]],
            ],
            "EventsAccepted": [
                "type": "object", "required": ["received", "appended", "duplicates"],
                "properties": [
                    "received": ["type": "integer"], "appended": ["type": "integer"],
                    "duplicates": ["type": "integer", "description": "Events identical to stored ones, not stored again."],
                ],
            ],
            "Health": [
                "type": "object", "required": ["status", "version", "uptime_seconds"],
                "properties": [
                    "status": ["type": "string", "enum": ["ok", "unavailable"]], "version": text,
                    "items": ["type": "integer"], "uptime_seconds": ["type": "integer"],
                ],
            ],
            "Problem": [
                "type": "object", "required": ["type", "title", "status"],
                "description": "RFC 9457 problem details.",
                "properties": [
                    "type": ["type": "string", "format": "uri-reference", "description": "Resolves to GET /v1/problems/{type}."],
                    "title": text, "status": ["type": "integer"], "detail": text,
                    "instance": ["type": "string", "format": "uri-reference", "description": "The request path."],
                    "errors": ["type": "array", "items": ref("FieldError")],
                ],
            ],
            "FieldError": [
                "type": "object", "required": ["detail"],
                "description": "One invalid part of the request: a body field (JSON Pointer as a URI fragment), a query parameter or a header.",
                "properties": [
                    "pointer": ["type": "string", "examples": ["#/3/timestamp"]], "parameter": text, "header": text, "detail": text,
                ],
            ],
            "ProblemType": [
                "type": "object", "required": ["type", "title", "status", "description"],
                "properties": ["type": text, "title": text, "status": ["type": "integer"], "description": text],
            ],
        ]
    }

    static var parameters: JSONValue { [:] }

    /// One reusable response per problem type, named in UpperCamelCase (`ItemNotFound`), plus `NotFound`.
    static var responses: JSONValue {
        var out: [String: JSONValue] = [:]
        for kind in ProblemType.allCases {
            out[responseName(kind)] = [
                "description": .string("\(kind.title). \(kind.explanation)"),
                "content": ["application/problem+json": ["schema": ref("Problem")]],
            ]
        }
        out["NotFound"] = out[responseName(.routeNotFound)]
        return .object(out)
    }

    static func responseName(_ kind: ProblemType) -> String {
        kind.rawValue.split(separator: "-").map { $0 == "json" ? "JSON" : $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    // MARK: Builders

    static func operation(_ id: String, tag: String, summary: String, description: String? = nil,
                          parameters: [JSONValue] = [], security: Bool = false, requestBody: JSONValue? = nil,
                          responses: [String: JSONValue]) -> JSONValue {
        var out: [String: JSONValue] = [
            "operationId": .string(id), "tags": [.string(tag)], "summary": .string(summary),
        ]
        if let description { out["description"] = .string(description) }
        if !parameters.isEmpty { out["parameters"] = .array(parameters) }
        if let requestBody { out["requestBody"] = requestBody }
        var allResponses = responses
        allResponses["405"] = problem("MethodNotAllowed")
        allResponses["500"] = problem("InternalError")
        out["responses"] = .object(allResponses)
        if security { out["security"] = [["bearer": []], ["apiKey": []]] }
        return .object(out)
    }

    /// `colour`, `brightness` and `colourfulness` of `GET /v1/search` and `GET /v1/items`.
    static var visualFilterParameters: [JSONValue] {
        [
            query("colour", "Only items whose image palette is at least 15% this colour. A palette colour name, or a family: blue (blue, navy, sky blue, turquoise), green (green, dark green, teal), red (red, dark red), grey/gray (grey, dark grey, light grey), yellow (yellow, ochre), purple (purple, lavender, magenta). Items without visual descriptors (`curio embed`) never match.",
                  schema: ["type": "string", "enum": .array((VisualSearchFilter.acceptedColours).map { .string($0) })]),
            query("brightness", "Only items whose image is dark (mean L* < 30), medium or bright (≥ 50).", schema: ["type": "string", "enum": ["dark", "medium", "bright"]]),
            query("colourfulness", "Only items whose image is muted (Hasler–Süsstrunk M < 20), moderate or colourful (≥ 40).", schema: ["type": "string", "enum": ["muted", "moderate", "colourful"]]),
        ]
    }

    static func query(_ name: String, _ description: String, required: Bool = false, schema: JSONValue) -> JSONValue {
        ["name": .string(name), "in": "query", "required": .bool(required), "description": .string(description), "schema": schema]
    }

    static func ref(_ schema: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(schema)")] }

    static func problem(_ response: String) -> JSONValue { ["$ref": .string("#/components/responses/\(response)")] }

    static func jsonResponse(_ description: String, schema: JSONValue) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": schema]]]
    }
}

/// Event kinds as the API spells them.
enum EventKindNames {
    static var all: [String] { CurioCore.EventKind.allCases.map(\.rawValue) }
}
