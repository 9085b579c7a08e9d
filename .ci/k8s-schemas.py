"""Turns the Kubernetes JSON schemas shipped in the PyPI package kubernetes-validate into a folder
kubeconform can use offline.

The shipped schemas carry `$id: https://kubernetes.io/api/...` and refer to `/api/_definitions.json`,
which a validator resolves to an https URL and tries to download. Dropping the per-kind `$id` and
making the reference relative keeps every lookup on the local disk; the schemas are otherwise unchanged.

usage: python k8s-schemas.py KUBERNETES_VERSION OUT_DIR   (e.g. 1.33.0 .ci/.cache/k8s-schemas/v1.33.0)
"""

import json
import pathlib
import sys

import kubernetes_validate

SHARED = "_definitions.json"


def relativise(node):
    if isinstance(node, dict):
        return {
            key: (value.replace("/api/" + SHARED, SHARED, 1) if key == "$ref" and isinstance(value, str)
                  else relativise(value))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [relativise(item) for item in node]
    return node


def main(version, out_dir):
    src = pathlib.Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / f"v{version}-local-strict"
    if not src.is_dir():
        sys.exit(f"kubernetes-validate has no strict schemas for Kubernetes {version} (looked in {src})")
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(src.glob("*.json")):
        schema = json.loads(path.read_text())
        if path.name != SHARED:
            schema.pop("$id", None)
        (out / path.name).write_text(json.dumps(relativise(schema)))
        count += 1
    if not (out / SHARED).is_file() or count < 100:
        sys.exit(f"only {count} schemas written to {out}; the kubernetes-validate layout changed")
    print(f"{count} Kubernetes {version} schemas written to {out}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
