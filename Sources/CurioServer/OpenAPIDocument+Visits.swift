import CurioJSON
import CurioCore
import CurioVisits
import Foundation

/// The OpenAPI description of the visit and guide routes (``VisitRoutes``): tours, progress, next exhibit and
/// conversations. Merged into ``OpenAPIDocument``.
extension OpenAPIDocument {
    /// Adds the visit paths and schemas to the core document's.
    static func withVisits(_ document: JSONValue) -> JSONValue {
        guard case var .object(root) = document else { return document }
        if case var .object(paths) = root["paths"] ?? [:] {
            for (k, v) in visitPaths { paths[k] = v }
            root["paths"] = .object(paths)
        }
        if case var .object(components) = root["components"] ?? [:], case var .object(schemas) = components["schemas"] ?? [:] {
            for (k, v) in visitSchemas { schemas[k] = v }
            components["schemas"] = .object(schemas)
            root["components"] = .object(components)
        }
        if case var .array(tags) = root["tags"] ?? [] {
            tags.append(["name": "visits", "description": "Tours, replanning and next-exhibit suggestions"])
            tags.append(["name": "guide", "description": "The conversational guide"])
            root["tags"] = .array(tags)
        }
        return .object(root)
    }

    static var visitPaths: [String: JSONValue] {
        let id: JSONValue = ["name": "id", "in": "path", "required": true, "schema": ["type": "string", "maxLength": 200]]
        let group = query("group", "Who is visiting: adult (default), family, school. Changes viewing times, walking and subject preferences.",
                          schema: ["type": "string", "enum": .array(GroupType.allCases.map { .string($0.rawValue) }), "default": "adult"])
        let stepFree = query("step_free", "Only step-free rooms and routes (wheelchair, pushchair).", schema: ["type": "boolean", "default": false])
        return [
            "/v1/tours": [
                "get": operation("planTour", tag: "visits", summary: "Plan a tour",
                                 description: """
                                     Chooses and orders works on display to maximise the visitor's interest plus the story \
                                     from stop to stop, within the time budget, opening hours and accessibility needs. \
                                     Interests come from the visitor's events (`visitor`), from words (`interests`, \
                                     full-text search over the works on display), or from popularity. The tour is kept \
                                     until two hours after its planned end (see `POST /v1/tours/{id}/progress`); `Location` \
                                     names it. When no start time is given and the museum is closed, the tour is planned \
                                     for the next opening. Impossible requests get a 422 `tour-infeasible` problem saying \
                                     why (never an empty tour).
                                     """,
                                 parameters: [
                                     query("minutes", "The time budget in minutes.", required: true, schema: ["type": "integer", "minimum": 1, "maximum": 1_440]),
                                     query("visitor", "Plan from this visitor's events (not with interests).", schema: ["type": "string", "maxLength": 200]),
                                     query("interests", "Plan from these words (not with visitor).", schema: ["type": "string", "maxLength": 500]),
                                     query("start", "Start room id (default: the first entrance).", schema: ["type": "string", "maxLength": 200]),
                                     query("end", "End room id (default: the tour may end anywhere).", schema: ["type": "string", "maxLength": 200]),
                                     stepFree,
                                     query("start_time", "When the tour starts (RFC 3339; default now).", schema: ["type": "string", "format": "date-time"]),
                                     group,
                                     query("chronological", "Prefer going forward in time from stop to stop.", schema: ["type": "boolean", "default": false]),
                                     query("max_stops", "At most this many stops.", schema: ["type": "integer", "minimum": 1, "maximum": 200]),
                                     query("language", "Preferred language (BCP 47) for titles, when translated titles are stored.", schema: ["type": "string", "maxLength": 20]),
                                     query("venue", "Venue id (default: the venue imported last).", schema: ["type": "string", "maxLength": 200]),
                                 ],
                                 responses: [
                                     "200": jsonResponse("The planned tour.", schema: ref("Tour")),
                                     "400": problem("InvalidParameters"),
                                     "404": problem("VenueNotFound"),
                                     "422": problem("TourInfeasible"),
                                 ]),
            ],
            "/v1/tours/{id}": [
                "get": operation("getTour", tag: "visits", summary: "A kept tour, as last updated",
                                 parameters: [id],
                                 responses: [
                                     "200": jsonResponse("The tour.", schema: ref("Tour")),
                                     "400": problem("InvalidParameters"),
                                     "404": problem("TourNotFound"),
                                 ]),
            ],
            "/v1/tours/{id}/progress": [
                "post": operation("postTourProgress", tag: "visits", summary: "Report progress and get the updated tour",
                                  description: """
                                      What the visitor did since the last update; the remaining tour is replanned from where \
                                      they are until the original deadline (visited and skipped works are never planned \
                                      again) and returned with the next revision. Applied in the order skipped, visited, \
                                      lingered, moved to room, current time.
                                      """,
                                  parameters: [id], security: true,
                                  requestBody: ["required": true, "content": ["application/json": ["schema": ref("TourProgress")]]],
                                  responses: [
                                      "200": jsonResponse("The updated tour.", schema: ref("Tour")),
                                      "400": problem("MalformedJSON"),
                                      "401": problem("Unauthorized"),
                                      "404": problem("TourNotFound"),
                                      "415": problem("UnsupportedMediaType"),
                                      "422": problem("TourInfeasible"),
                                      "503": problem("WritesDisabled"),
                                  ]),
            ],
            "/v1/visitors/{id}/next": [
                "get": operation("getNextExhibits", tag: "visits", summary: "What to see next",
                                 description: """
                                     The next-exhibit model (trained with `curio next train`; otherwise transitions fitted \
                                     from stored events) scores works after the visitor's latest visit; the context filters \
                                     and re-ranks them: closed rooms, step-free access, time left, walking distance and \
                                     crowding (from the last 15 minutes of events). `room` overrides the room inferred from \
                                     recent events.
                                     """,
                                 parameters: [
                                     id,
                                     query("room", "The room the visitor is in.", schema: ["type": "string", "maxLength": 200]),
                                     query("k", "How many suggestions.", schema: ["type": "integer", "minimum": 1, "maximum": 100, "default": 10]),
                                     stepFree,
                                     query("minutes_left", "Time the visitor has left.", schema: ["type": "integer", "minimum": 1, "maximum": 1_440]),
                                     group,
                                 ],
                                 responses: [
                                     "200": jsonResponse("Suggestions, best first.", schema: ref("NextExhibits")),
                                     "400": problem("InvalidParameters"),
                                     "404": problem("VenueNotFound"),
                                 ]),
            ],
            "/v1/conversations": [
                "post": operation("createConversation", tag: "guide", summary: "Start a conversation with the guide",
                                  description: "Creates a conversation kept in the store (it survives a restart). The body is empty or `{}`.",
                                  security: true,
                                  responses: [
                                      "201": jsonResponse("The conversation; `Location` names it.", schema: ref("Conversation")),
                                      "400": problem("MalformedJSON"),
                                      "401": problem("Unauthorized"),
                                      "415": problem("UnsupportedMediaType"),
                                      "422": problem("ValidationFailed"),
                                      "503": problem("WritesDisabled"),
                                  ]),
            ],
            "/v1/conversations/{id}": [
                "get": operation("getConversation", tag: "guide", summary: "What the guide remembers of a conversation",
                                 parameters: [id],
                                 responses: [
                                     "200": jsonResponse("The conversation state.", schema: ref("ConversationState")),
                                     "400": problem("InvalidParameters"),
                                     "404": problem("ConversationNotFound"),
                                 ]),
            ],
            "/v1/conversations/{id}/messages": [
                "post": operation("postConversationMessage", tag: "guide", summary: "Say something to the guide",
                                  description: """
                                      The guide answers from the stored collection only: it asks the most informative question \
                                      when the request is broad, otherwise recommends works, each with why. `item` gives a work \
                                      as the query (\"more like this\"); `image` a path to a photo, matched to the work with the \
                                      nearest image embedding (422 `image-search-unavailable` when none are stored).
                                      """,
                                  parameters: [id], security: true,
                                  requestBody: ["required": true, "content": ["application/json": ["schema": ref("Message")]]],
                                  responses: [
                                      "200": jsonResponse("The guide's reply.", schema: ref("Reply")),
                                      "400": problem("MalformedJSON"),
                                      "401": problem("Unauthorized"),
                                      "404": problem("ConversationNotFound"),
                                      "415": problem("UnsupportedMediaType"),
                                      "422": problem("ImageSearchUnavailable"),
                                      "503": problem("WritesDisabled"),
                                  ]),
            ],
        ]
    }

    static var visitSchemas: [String: JSONValue] {
        let text: JSONValue = ["type": "string"]
        let texts: JSONValue = ["type": "array", "items": text]
        let number: JSONValue = ["type": "number"]
        let time: JSONValue = ["type": "string", "format": "date-time"]
        let walk: JSONValue = ["type": "object", "required": ["route", "seconds"], "properties": ["route": texts, "seconds": number]]
        return [
            "Tour": [
                "type": "object",
                "required": ["id", "venue", "revision", "start_room", "start_time", "deadline", "end_time", "minutes", "stops",
                             "walking_seconds", "viewing_seconds", "waiting_seconds", "utility", "visited", "skipped", "notes"],
                "properties": [
                    "id": text, "venue": text, "revision": ["type": "integer", "description": "0 when planned, +1 per progress update."],
                    "start_room": text, "end_room": text, "start_time": time, "deadline": time, "end_time": time,
                    "minutes": ["type": "number", "description": "Planned duration."],
                    "stops": ["type": "array", "items": [
                        "type": "object",
                        "required": ["item", "makers", "room", "room_name", "walk", "arrival", "start", "viewing_seconds", "interest"],
                        "properties": [
                            "item": text, "title": text, "makers": texts, "date": text, "room": text, "room_name": text,
                            "walk": walk, "arrival": time, "start": time, "viewing_seconds": number,
                            "interest": ["type": "number", "minimum": 0, "maximum": 1],
                            "transition": ["type": "string", "description": "The link from the previous stop."],
                        ],
                    ]],
                    "final_walk": walk, "walking_seconds": number, "viewing_seconds": number, "waiting_seconds": number,
                    "utility": ["type": "object", "properties": [
                        "interest": number, "coherence": number, "chronology": number, "variety_penalty": number, "total": number,
                    ]],
                    "visited": texts, "skipped": texts,
                    "notes": ["type": "array", "items": text, "description": "Where interests came from, adjustments and replanning changes."],
                ],
            ],
            "TourProgress": [
                "type": "object", "additionalProperties": false, "minProperties": 1,
                "properties": [
                    "visited": ["oneOf": [text, texts], "description": "Works looked at (on the tour or not)."],
                    "skipped": ["oneOf": [text, texts], "description": "Tour works the visitor does not want to see."],
                    "lingered_seconds": ["type": "number", "minimum": 0, "maximum": 86_400],
                    "room": ["type": "string", "description": "The room the visitor is in now."],
                    "at": ["type": "string", "format": "date-time", "description": "The current time."],
                ],
                "examples": [["visited": ["N01234"], "skipped": ["T00999"], "room": "turner"]],
            ],
            "NextExhibits": [
                "type": "object", "required": ["visitor", "model", "room_source", "history", "suggestions", "filtered_count", "filtered"],
                "properties": [
                    "visitor": text, "model": text, "room": text,
                    "room_source": ["type": "string", "enum": ["explicit", "inferred", "unknown"]],
                    "history": texts,
                    "suggestions": ["type": "array", "items": [
                        "type": "object", "required": ["item", "makers", "room", "score", "reasons"],
                        "properties": ["item": text, "title": text, "makers": texts, "room": text, "room_name": text,
                                       "score": number, "walking_seconds": number, "reasons": texts],
                    ]],
                    "filtered_count": ["type": "integer"],
                    "filtered": ["type": "array", "items": ["type": "object", "properties": ["item": text, "reason": text]]],
                ],
            ],
            "Conversation": [
                "type": "object", "required": ["id", "created_at", "turns", "greeting"],
                "properties": ["id": text, "created_at": time, "turns": ["type": "integer"], "greeting": text],
            ],
            "ConversationState": [
                "type": "object", "required": ["id", "created_at", "updated_at", "turns", "liked", "disliked", "shown", "last_list"],
                "properties": ["id": text, "created_at": time, "updated_at": time, "turns": ["type": "integer"], "liked": texts,
                               "disliked": texts, "shown": texts, "last_list": texts, "focus": text, "pending_question": text],
            ],
            "Message": [
                "type": "object", "additionalProperties": false,
                "properties": [
                    "text": ["type": "string", "maxLength": 2_000],
                    "item": ["type": "string", "description": "A work given as the query."],
                    "image": ["type": "string", "description": "Path of a photo given as the query."],
                ],
                "examples": [["text": "something like this but older", "item": "N01710"]],
            ],
            "Reply": [
                "type": "object", "required": ["conversation", "intent", "text", "items", "understood", "tool_calls"],
                "properties": [
                    "conversation": text,
                    "intent": ["type": "string", "examples": ["find", "refine", "explain", "plan_visit"]],
                    "text": ["type": "string", "description": "What the guide says; titles in *italics*."],
                    "items": ["type": "array", "items": [
                        "type": "object", "required": ["id", "title", "makers", "because"],
                        "properties": ["id": text, "title": text, "makers": texts, "date": text, "because": texts],
                    ]],
                    "question": ["type": "object", "properties": ["attribute": text, "text": text, "options": texts]],
                    "understood": texts,
                    "tool_calls": texts,
                    "tour": ["type": "object", "properties": [
                        "minutes": ["type": "integer"],
                        "stops": ["type": "array", "items": ["type": "object", "properties": ["item": text, "room": text, "transition": text]]],
                    ]],
                ],
            ],
        ]
    }
}
