"""Stripe's own OpenAPI schemas as the stand-in's contract (a test tool).

``StripeContract.problems(payload)`` checks one JSON body the way Stripe
would have sent it: an API object, a list of them, an error, or an event
(whose ``data.object`` and ``previous_attributes`` are checked against the
schema of the object they hold). The schemas are the subset of Stripe's
``spec3`` in ``../shared/stripe/spec3-subset.json``, read as they are, with
OpenAPI 3.0 turned into JSON Schema:

- ``nullable: true`` accepts ``null``; a field that is not nullable must be
  left out, never sent as ``null``;
- ``required`` fields must be there; a field the schema does not name is an
  error (Stripe drops fields from one API version to the next, and a
  stand-in copying an old example must fail);
- expandable fields are ``anyOf`` an id or the object, as in the spec;
- schemas marked ``x-subset-stub`` (not extracted) accept any object.

The pinned SDK speaks a newer API version than the subset. Fields its typed
resource classes declare that the subset lacks are accepted too (the SDK
wins); ``python -m devtools.fakestripe.contract`` lists them.

Needs ``jsonschema`` (a test requirement), so nothing at run time imports it.
"""

import copy
import importlib
import inspect
import json
import os
import re
from pathlib import Path

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

REPO = Path(__file__).resolve().parents[2]
SPEC_PATH = Path(os.environ.get(
    "STRIPE_SPEC", REPO.parent / "shared" / "stripe" / "spec3-subset.json"))
BASE_URI = "urn:stripe-spec3-subset"

# Stripe resources (by their ``object`` value) and the SDK class that reads
# each in the pinned API version.
SDK_CLASSES = {
    "checkout.session": "stripe.checkout._session:Session",
    "payment_intent": "stripe._payment_intent:PaymentIntent",
    "charge": "stripe._charge:Charge",
    "refund": "stripe._refund:Refund",
    "event": "stripe._event:Event",
    "item": "stripe._line_item:LineItem",
    "payment_method": "stripe._payment_method:PaymentMethod",
    "customer": "stripe._customer:Customer",
    "price": "stripe._price:Price",
    "product": "stripe._product:Product",
    "subscription": "stripe._subscription:Subscription",
    "subscription_item": "stripe._subscription_item:SubscriptionItem",
    "invoice": "stripe._invoice:Invoice",
    "test_helpers.test_clock": "stripe.test_helpers._test_clock:TestClock",
}
# Declared by the SDK classes but only ever sent on a deleted object's reply.
SDK_IGNORED = {"deleted"}
# Fields Stripe includes only when a request expands them (the API reference
# calls them "includable"); everywhere else, and in every event, they are left out.
INCLUDED_ON_REQUEST = {
    "charge": {"refunds"},
    "checkout.session": {"line_items"},
    "customer": {"cash_balance", "invoice_credit_balance", "sources", "subscriptions", "tax_ids"},
    "invoice": {"payments"},
}
LIST_KEYS = {"object", "data", "has_more", "url"}
# Objects the stand-in sends whose schemas the subset has only as stubs
# (``x-subset-stub``): accepted as any object of that type.
STUB_RESOURCES = ("setup_intent", "invoice_payment")


class SpecMissing(RuntimeError):
    pass


def load_spec(path=SPEC_PATH):
    path = Path(path)
    if not path.exists():
        raise SpecMissing(
            f"Stripe's schema subset is not at {path}: the contract test reads "
            "it from ../shared/stripe/ next to this checkout (or from the "
            "file named by STRIPE_SPEC).")
    return json.loads(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------ OpenAPI -> JSON Schema


def _json_schema(node):
    """One OpenAPI 3.0 schema as JSON Schema 2020-12 (strict about unknown fields)."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("x-subset-stub"):
        return {"type": "object"}
    out = {}
    for key, value in node.items():
        if key.startswith("x-") or key in ("description", "title", "nullable"):
            continue
        if key == "properties":
            out[key] = {name: _json_schema(sub) for name, sub in value.items()}
        elif key == "$ref":
            out[key] = BASE_URI + value
        elif key in ("items", "anyOf", "oneOf", "allOf", "additionalProperties"):
            out[key] = _json_schema(value)
        else:
            out[key] = copy.deepcopy(value)
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _holds_an_id(node):
    """Is this property expandable (Stripe sends an id, or the object when asked)?"""
    options = node.get("anyOf", []) if isinstance(node, dict) else []
    return any(option.get("type") == "string" for option in options) and any("$ref" in option for option in options)


def _resolve(spec, node):
    """The object schema a property holds (through $ref, an expandable anyOf, an array), if one."""
    schemas = spec["components"]["schemas"]
    if not isinstance(node, dict):
        return None, None
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        target = schemas[name]
        return (None, None) if target.get("x-subset-stub") else (name, target)
    if "anyOf" in node:
        found = [_resolve(spec, option) for option in node["anyOf"]]
        found = [pair for pair in found if pair[1] is not None]
        return found[0] if len(found) == 1 else (None, None)
    if node.get("type") == "array":
        return _resolve(spec, node.get("items"))
    return None, None


def sdk_only_fields(spec):
    """``{schema name: {field, ...}}``: fields the SDK's typed classes declare and the subset lacks."""
    schemas = spec["components"]["schemas"]
    found, seen = {}, set()

    def walk(name, schema, cls):
        if (name, cls) in seen:
            return
        seen.add((name, cls))
        declared = {}
        for klass in reversed(cls.__mro__):
            declared.update(getattr(klass, "__annotations__", {}))
        declared = {key: str(hint) for key, hint in declared.items()
                    if not key.startswith("_") and key != "OBJECT_NAME"}
        extra = set(declared) - set(schema.get("properties", {})) - SDK_IGNORED
        if extra:
            found.setdefault(name, set()).update(extra)
        for field, sub in schema.get("properties", {}).items():
            if field not in declared:
                continue
            sub_name, sub_schema = _resolve(spec, sub)
            if sub_schema is None:
                continue
            for candidate in re.findall(r"[A-Z][A-Za-z0-9]+", declared[field]):
                nested = getattr(cls, candidate, None)
                if inspect.isclass(nested) and nested.__qualname__.startswith(cls.__qualname__ + "."):
                    walk(sub_name, sub_schema, nested)
                    break

    for resource, where in SDK_CLASSES.items():
        module, _, attr = where.partition(":")
        walk(resource, schemas[resource], getattr(importlib.import_module(module), attr))
    return found


# ------------------------------------------------------------------------- checking


class StripeContract:
    def __init__(self, spec=None, *, sdk_fields=None):
        self.spec = spec if spec is not None else load_spec()
        self.sdk_fields = sdk_only_fields(self.spec) if sdk_fields is None else sdk_fields
        schemas = {}
        for name, schema in self.spec["components"]["schemas"].items():
            converted = _json_schema(schema)
            target = converted["anyOf"][0] if "anyOf" in converted and "properties" not in converted else converted
            for field in self.sdk_fields.get(name, ()):
                target.setdefault("properties", {})[field] = {}
            schemas[name] = converted
        self.schemas = schemas
        document = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                    "components": {"schemas": schemas}}
        self.registry = Registry().with_resource(BASE_URI, Resource.from_contents(document, default_specification=DRAFT202012))
        self.resources = {schema.get("x-resourceId"): name for name, schema in self.spec["components"]["schemas"].items()
                          if schema.get("x-resourceId")}
        for name in STUB_RESOURCES:
            if name in self.spec["components"]["schemas"]:
                self.resources.setdefault(name, name)
        self._validators = {}

    def validator(self, name):
        if name not in self._validators:
            schema = {"$ref": f"{BASE_URI}#/components/schemas/{name}"}
            self._validators[name] = jsonschema.Draft202012Validator(schema, registry=self.registry)
        return self._validators[name]

    def problems(self, payload, where="$", *, expand=()):
        """What in one JSON body Stripe would not have sent; [] when it conforms. ``expand`` is
        what the request asked to expand (``expand[]``): every other expandable field must be an
        id, and fields Stripe includes only on request must be absent. Events expand nothing."""
        if not isinstance(payload, dict):
            return [f"{where}: not a JSON object"]
        if "error" in payload and "object" not in payload:
            return self._check("error", payload, where)
        kind = payload.get("object")
        if kind == "list":
            problems = [f"{where}: a list has no field {key!r}" for key in sorted(set(payload) - LIST_KEYS)]
            problems += [f"{where}: a list needs {key!r}" for key in sorted(LIST_KEYS - set(payload))]
            inner = [path.split(".", 1)[1] for path in expand if path.startswith("data.")]
            for index, item in enumerate(payload.get("data") or []):
                problems += self.problems(item, f"{where}.data[{index}]", expand=inner)
            return problems
        if payload.get("deleted") is True:
            return self._deleted(payload, where)
        if kind not in self.resources:
            return [f"{where}: no schema for an object of type {kind!r}"]
        problems = self._check(self.resources[kind], payload, where)
        problems += self._expansions(self.resources[kind], payload, expand, where)
        if kind == "event" and isinstance(payload.get("data"), dict):
            problems += self._event_data(payload["data"], f"{where}.data")
        return problems

    def check(self, payload, where="$", *, expand=()):
        problems = self.problems(payload, where, expand=expand)
        if problems:
            raise AssertionError("Not as Stripe sends it:\n  " + "\n  ".join(problems))

    def _deleted(self, payload, where):
        """The answer to a delete: ``{id, object, deleted: true}`` and nothing else."""
        problems = [f"{where}.{key}: a deleted object has no such field" for key in sorted(set(payload) - {"id", "object", "deleted"})]
        if not isinstance(payload.get("id"), str) or payload.get("object") not in self.resources:
            problems.append(f"{where}: a deleted object names its id and type")
        return problems

    def _expansions(self, name, obj, expand, where):
        """Expandable fields hold ids unless asked for; includable ones are absent unless asked for."""
        schema = self.spec["components"]["schemas"][name]
        properties = schema.get("properties", {})
        asked = {path.split(".", 1)[0] for path in expand}
        problems = [f"{where}.{field}: Stripe includes this only when a request expands it"
                    for field in sorted(INCLUDED_ON_REQUEST.get(name, set()) & set(obj) - asked)]
        for field, value in obj.items():
            if not isinstance(value, dict) or not _holds_an_id(properties.get(field)):
                continue
            if field not in asked:
                problems.append(f"{where}.{field}: an object where Stripe sends its id (not expanded)")
            elif value.get("object") in self.resources and not value.get("deleted"):
                deeper = [path.split(".", 1)[1] for path in expand if path.startswith(field + ".")]
                problems += self._expansions(self.resources[value["object"]], value, deeper, f"{where}.{field}")
        return problems

    def _check(self, name, payload, where):
        found = []
        for error in self.validator(name).iter_errors(payload):
            found += _describe(error, where)
        return sorted(set(found))

    def _event_data(self, data, where):
        obj = data.get("object")
        problems = self.problems(obj, f"{where}.object")  # an event's object is never expanded
        previous = data.get("previous_attributes")
        if isinstance(previous, dict) and isinstance(obj, dict) and obj.get("object") in self.resources:
            name = self.resources[obj["object"]]
            properties = self.schemas[name].get("properties", {})
            for field, value in previous.items():
                if field not in properties:
                    problems.append(f"{where}.previous_attributes.{field}: {name} has no such field")
                    continue
                validator = jsonschema.Draft202012Validator(
                    {"$ref": f"{BASE_URI}#/components/schemas/{name}/properties/{field}"}, registry=self.registry)
                for error in validator.iter_errors(value):
                    problems += _describe(error, f"{where}.previous_attributes.{field}")
        return problems


def _describe(error, where):
    """Readable lines for one validation error. For an ``anyOf`` (nullable or expandable), the
    reasons come from the options the value's own type fits, so an expanded object's wrong field is
    named, not just "not valid under any of the given schemas"."""
    path = where + _path(error.absolute_path)
    if error.validator == "anyOf" and error.context:
        by_option = {}
        for sub in error.context:
            by_option.setdefault(sub.schema_path[0], []).append(sub)
        fitting = [subs for subs in by_option.values()
                   if not any(sub.validator == "type" and sub.absolute_path == error.absolute_path for sub in subs)]
        if fitting:
            return [line for subs in fitting for sub in subs for line in _describe(sub, where)]
        types = [sub.validator_value for sub in error.context if sub.validator == "type" and sub.validator_value != "null"]
        if error.instance is not None and types:
            return [f"{path}: {error.instance!r} is not of type {' or '.join(repr(kind) for kind in types)}"]
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return [f"{path}.{field}: Stripe sends no such field here" for field in extra]
    if error.instance is None:
        return [f"{path}: null where Stripe sends a value or leaves the field out"]
    return [f"{path}: {error.message[:200]}"]


def _path(parts):
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def main():
    spec = load_spec()
    print(f"Schemas: {SPEC_PATH}")
    print("Fields the SDK's typed classes declare that the subset lacks (accepted):")
    for name, fields in sorted(sdk_only_fields(spec).items()):
        print(f"  {name}: {', '.join(sorted(fields))}")


if __name__ == "__main__":
    main()
