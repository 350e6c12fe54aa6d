"""Hold an API answer to the OpenAPI schema, as schemathesis does in CI: its status is
documented for the operation, and its JSON body conforms to what is documented for it.

OpenAPI 3.0 schemas are JSON Schema but for ``nullable``; it is rewritten here as JSON
Schema's ``null`` type, so that a plain validator reads the schema as the clients do.
"""

from jsonschema import Draft7Validator


def answer_errors(schema: dict, method: str, path: str, response) -> list[str]:
    """What is wrong with ``response`` as the answer to ``method`` on ``path`` (a path of
    the schema, such as ``/api/v1/assignments/{id}/``); empty when nothing is."""
    operation = schema["paths"][path][method.lower()]
    documented = operation["responses"].get(str(response.status_code))
    if documented is None:
        return [
            f"{method.upper()} {path} answered {response.status_code}, documented: "
            + ", ".join(sorted(operation["responses"]))
        ]
    content = documented.get("content", {})
    if not content:
        return []
    media_type = response["Content-Type"].split(";")[0].strip()
    if media_type not in content:
        return [f"{method.upper()} {path} answered {media_type}, documented: {sorted(content)}"]
    if media_type != "application/json":
        return []
    body_schema = {
        "allOf": [_json_schema(content[media_type]["schema"])],
        "components": _json_schema(schema["components"]),
    }
    validator = Draft7Validator(body_schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    return [
        f"{method.upper()} {path} {response.status_code} at "
        f"{'/'.join(map(str, error.absolute_path)) or 'the body'}: {error.message[:300]}"
        for error in validator.iter_errors(response.json())
    ]


def _json_schema(node):
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {
        key: _json_schema(value)
        for key, value in node.items()
        if not (key == "nullable" and isinstance(value, bool))
    }
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted
