import CurioJSON
import CurioKit
import Foundation

/// The OpenAPI description of ``RecommendationRoutes``, merged into ``OpenAPIDocument``.
enum RecommendationOpenAPI {
    typealias D = OpenAPIDocument

    static var tags: [JSONValue] {
        [["name": "recommendations", "description": "Explained recommendations and similar objects"],
         ["name": "policies", "description": "Curator policies and exposure"]]
    }

    static var paths: [String: JSONValue] {
        let k = D.query("k", "How many objects.", schema: ["type": "integer", "minimum": 1,
                                                          "maximum": .number(Double(RecommendationRoutes.maximumResults)), "default": 10])
        let policyName: JSONValue = ["type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"]
        return [
            "/v1/visitors/{id}/recommendations": [
                "get": D.operation("getRecommendations", tag: "recommendations", summary: "Recommendations for a visitor",
                                   description: """
                                       The visitor's stored events are folded into the serving model on every request, so an \
                                       event posted to /v1/events changes the next list. A visitor with at most one object gets \
                                       content-based recommendations (`strategy: content_cold_start`), one with none the most \
                                       visited objects (`popular`). The curator policy (`default` unless `policy` names another; \
                                       `none` switches it off) re-ranks the candidates and its exposure is recorded. Every item \
                                       carries `because` (evidence: type, the visitor's own object it connects to, what links \
                                       them, weight) and an English `explanation`.
                                       """,
                                   parameters: [
                                       ["name": "id", "in": "path", "required": true, "description": "The visitor's id, as in their events.",
                                        "schema": ["type": "string", "maxLength": 200]],
                                       k,
                                       D.query("exclude_seen", "Leave out objects the visitor has engaged with (skipped and disliked ones always are).",
                                               schema: ["type": "boolean", "default": true]),
                                       D.query("policy", "Curator policy by name, or `none`.", schema: policyName),
                                       D.query("maker", "Only works by this maker (agent id, or part of a name).", schema: ["type": "string", "maxLength": 200]),
                                       D.query("subject", "Only works about this subject (concept id or label; narrower subjects too).",
                                               schema: ["type": "string", "maxLength": 200]),
                                       D.query("model", "A trained model instead of the serving model.",
                                               schema: ["type": "string", "enum": .array(Curio.trainableModels.map { .string($0) })]),
                                   ],
                                   responses: [
                                       "200": D.jsonResponse("The list, best first.", schema: D.ref("RecommendationList")),
                                       "400": D.problem("InvalidParameters"),
                                   ]),
            ],
            "/v1/items/{id}/similar": [
                "get": D.operation("getSimilarItems", tag: "recommendations", summary: "Objects similar to one object",
                                   description: "Nearest objects by cosine of stored vectors, explained through the knowledge graph. `text`: the records' MiniLM embeddings; `image`: EfficientNet-Lite0 image features (centred on the collection mean); `fused` (default): text, the image projected into the text space and the knowledge-graph embedding, weighted as `curio fuse` learned from visits or by the defaults (text 0.5, image 0.3, graph 0.2), renormalised over the modalities each object has; `metadata`: makers, subjects and their broader terms, movements, period, medium, classification. The response's `modality` says what was used, `modalities` what the object's fused vector was built from. 409 when the modality has no vectors (for the collection or this object).",
                                   parameters: [
                                       ["name": "id", "in": "path", "required": true, "schema": ["type": "string", "maxLength": 200]],
                                       k,
                                       D.query("modality", "fused (default), text, image or metadata.", schema: ["type": "string", "enum": ["fused", "text", "image", "metadata"], "default": "fused"]),
                                   ],
                                   responses: [
                                       "200": D.jsonResponse("Similar objects, most similar first.", schema: D.ref("SimilarList")),
                                       "400": D.problem("InvalidParameters"),
                                       "404": D.problem("ItemNotFound"),
                                       "409": D.problem("ModalityUnavailable"),
                                   ]),
            ],
            "/v1/policies": [
                "get": D.operation("listPolicies", tag: "policies", summary: "The curator policies",
                                   responses: ["200": D.jsonResponse("Every policy with its active version.", schema: D.ref("PolicyList"))]),
            ],
            "/v1/policies/{name}": [
                "get": D.operation("getPolicy", tag: "policies", summary: "One policy and its document",
                                   parameters: [["name": "name", "in": "path", "required": true, "schema": policyName]],
                                   responses: [
                                       "200": D.jsonResponse("The active version.", schema: D.ref("PolicyDocument")),
                                       "404": D.problem("NotFound"),
                                   ]),
                "put": D.operation("putPolicy", tag: "policies", summary: "Store and activate a new version of a policy",
                                   description: """
                                       The document (see docs/policies.md) is validated completely before it takes effect; the \
                                       next request uses it. A rejected document changes nothing: the 422 problem names every \
                                       offending field by JSON Pointer (`#/exposure/targets`).
                                       """,
                                   parameters: [["name": "name", "in": "path", "required": true, "schema": policyName]],
                                   security: true,
                                   requestBody: ["required": true, "content": ["application/json": ["schema": D.ref("PolicyInput")]]],
                                   responses: [
                                       "200": D.jsonResponse("The activated version.", schema: D.ref("PolicyDocument")),
                                       "400": D.problem("MalformedJSON"),
                                       "401": D.problem("Unauthorized"),
                                       "413": D.problem("PayloadTooLarge"),
                                       "415": D.problem("UnsupportedMediaType"),
                                       "422": D.problem("ValidationFailed"),
                                       "503": D.problem("WritesDisabled"),
                                   ]),
            ],
            "/v1/metrics/exposure": [
                "get": D.operation("getExposureMetrics", tag: "policies", summary: "Exposure delivered by this server",
                                   description: "Exposure (position-weighted: rank r counts 1/log2(r+1)) delivered since the server started, per maker gender and per maker (the 20 most exposed), against the targets of a policy; exposure Gini over all objects and catalogue coverage.",
                                   parameters: [D.query("policy", "Whose targets to compare with (default `default`).", schema: policyName)],
                                   responses: [
                                       "200": D.jsonResponse("The exposure report.", schema: D.ref("ExposureReport")),
                                       "400": D.problem("InvalidParameters"),
                                   ]),
            ],
        ]
    }

    static var schemas: [String: JSONValue] {
        let text: JSONValue = ["type": "string"]
        let number: JSONValue = ["type": "number"]
        return [
            "Evidence": [
                "type": "object", "required": ["type", "weight"],
                "properties": [
                    "type": ["type": "string", "examples": ["shared_maker", "shared_subject", "co_visitation", "curator_boost"]],
                    "item": ["type": "string", "description": "The visitor's own object this evidence connects to."],
                    "item_title": text,
                    "via": ["type": "string", "description": "The knowledge-graph node linking them (`agent:tate:artist:558`)."],
                    "via_label": text,
                    "details": ["type": "array", "items": text],
                    "weight": ["type": "number", "description": "Share of the model's score this evidence accounts for (0…1)."],
                ],
            ],
            "RecommendedItem": [
                "type": "object", "required": ["id", "score", "model_score", "title", "makers", "because", "explanation", "adjustments"],
                "properties": [
                    "id": text, "score": number, "model_score": number, "title": text,
                    "makers": ["type": "array", "items": text], "date": text,
                    "because": ["type": "array", "items": D.ref("Evidence")],
                    "explanation": ["type": "string", "examples": ["Because you liked *Norham Castle, Sunrise*: also by Joseph Mallord William Turner, from the 1840s"]],
                    "adjustments": ["type": "array", "items": [
                        "type": "object", "required": ["kind", "detail"],
                        "properties": ["kind": ["type": "string", "enum": ["pinned", "boosted", "campaign", "popularity_correction", "diversity", "calibration", "fairness", "maker_cap"]],
                                       "detail": text],
                    ]],
                ],
            ],
            "RecommendationList": [
                "type": "object", "required": ["visitor", "model", "strategy", "history_items", "items"],
                "properties": [
                    "visitor": text, "model": text, "model_version": ["type": "integer"],
                    "strategy": ["type": "string", "enum": ["model", "content_cold_start", "popular"]],
                    "policy": text, "policy_version": ["type": "integer"], "history_items": ["type": "integer"],
                    "items": ["type": "array", "items": D.ref("RecommendedItem")],
                ],
            ],
            "SimilarList": [
                "type": "object", "required": ["item", "title", "modality", "items"],
                "properties": ["item": text, "title": text,
                               "modality": ["type": "string", "enum": ["fused", "text", "image", "metadata"]],
                               "items": ["type": "array", "items": D.ref("RecommendedItem")],
                               "modalities": ["type": "array", "items": ["type": "string", "enum": ["text", "image", "graph"]]],
                               "fusion": ["type": "object", "required": ["text", "image", "graph", "source"],
                                          "properties": ["text": number, "image": number, "graph": number,
                                                         "source": ["type": "string", "enum": ["learned", "default"]]]],
                               "warnings": ["type": "array", "items": text]],
            ],
            "PolicySummary": [
                "type": "object", "required": ["name", "version", "built_in", "summary"],
                "properties": ["name": text, "version": ["type": "integer"], "built_in": ["type": "boolean"], "note": text, "summary": text],
            ],
            "PolicyList": [
                "type": "object", "required": ["policies"],
                "properties": ["policies": ["type": "array", "items": D.ref("PolicySummary")]],
            ],
            "PolicyDocument": [
                "type": "object", "required": ["name", "version", "built_in", "summary", "document"],
                "properties": ["name": text, "version": ["type": "integer"], "built_in": ["type": "boolean"], "note": text,
                               "summary": text, "document": D.ref("PolicyInput")],
            ],
            "PolicyInput": [
                "type": "object", "additionalProperties": false,
                "description": "A curator policy; every part optional (docs/policies.md).",
                "properties": [
                    "name": text, "version": ["type": "integer"], "note": text,
                    "popularity_correction": ["type": "number", "minimum": 0, "maximum": 1],
                    "diversity": ["type": "number", "minimum": 0, "maximum": 1],
                    "max_per_maker": ["type": "integer", "minimum": 1],
                    "calibration": ["type": "object", "properties": ["attribute": text, "strength": number]],
                    "exposure": ["type": "object", "required": ["attribute", "targets"],
                                 "properties": ["attribute": text, "tolerance": number,
                                                "denominator": ["type": "string", "enum": ["known", "all"]],
                                                "targets": ["type": "object", "additionalProperties": [
                                                    "oneOf": [number, ["type": "object", "properties": ["min": number, "max": number]]],
                                                ]]]],
                    "rules": ["type": "array", "items": ["type": "object", "required": ["type"], "properties": [
                        "type": ["type": "string", "enum": ["pin", "ban", "boost", "require_open_licence", "campaign"]],
                    ]]],
                ],
                "examples": [["name": "default", "max_per_maker": 2,
                              "exposure": ["attribute": "maker_gender", "targets": ["Female": ["min": 0.4]], "tolerance": 0.01]]],
            ],
            "ExposureReport": [
                "type": "object", "required": ["policy", "requests", "total_exposure", "exposure_gini", "coverage", "groups"],
                "properties": [
                    "policy": text, "requests": ["type": "integer"], "total_exposure": number, "exposure_gini": number,
                    "coverage": ["type": "number", "description": "Share of catalogue objects shown at least once."],
                    "groups": ["type": "array", "items": [
                        "type": "object", "required": ["attribute", "value", "exposure", "share"],
                        "properties": ["attribute": text, "value": text, "exposure": number, "share": number,
                                       "target_min": number, "target_max": number, "within_target": ["type": "boolean"]],
                    ]],
                ],
            ],
        ]
    }
}

extension JSONValue {
    /// This object with `other`'s members added (members of `other` win); other values are returned unchanged.
    func merging(_ other: [String: JSONValue]) -> JSONValue {
        guard case var .object(members) = self else { return self }
        for (k, v) in other { members[k] = v }
        return .object(members)
    }
}
