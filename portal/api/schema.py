"""What the OpenAPI schema says about errors, for every operation.

drf-spectacular describes what a view answers when it succeeds. Every operation can
also be refused, and clients (and schemathesis, in CI) hold the schema to its word:
this hook documents each error status the portal can answer, with its body, on every
operation that does not describe it itself. A status only some operations answer (409,
a conflict with what is recorded) is named by the view with its description,
``OpenApiResponse(description=...)``; the hook gives it the same body as every refusal.
"""

ERROR = {
    "type": "object",
    "description": "A refusal: what went wrong, in the reader's language.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": (
        "Bad input: for each field (or ``non_field_errors``), what is wrong with it. "
        "Nested objects and lists hold the errors of nested fields and items."
    ),
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {}},
            {"type": "object"},
            {"type": "string"},
        ]
    },
}
ERRORS = {
    "400": ("Bad input: the fields named, or a body that cannot be read.", "BadRequest"),
    "401": ("Not signed in, or the key is not valid.", "Error"),
    "403": ("Signed in, but not allowed to do this.", "Error"),
    "404": ("No such object, or not one this user may see.", "Error"),
    "405": ("This method is not allowed here.", "Error"),
    "413": ("The body is larger than the portal accepts.", "Error"),
    "429": ("Too many requests (log-in attempts or token requests); wait and retry.", "Error"),
}


def document_errors(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    schemas.setdefault(
        "BadRequest",
        {
            # anyOf: a {"detail": …} refusal is also an object of messages.
            "anyOf": [
                {"$ref": "#/components/schemas/FieldErrors"},
                {"$ref": "#/components/schemas/Error"},
            ]
        },
    )
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code, response in responses.items():
                if code.isdigit() and int(code) >= 400 and "content" not in response:
                    response["content"] = _body("Error")
            for code, (description, component) in ERRORS.items():
                if code == "413" and "requestBody" not in operation:
                    continue
                responses.setdefault(
                    code, {"description": description, "content": _body(component)}
                )
    return result


def _body(component: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}}
