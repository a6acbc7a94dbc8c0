#!/usr/bin/env python3
"""check.py — the layers of src/: each file includes only headers of its
own layer or of lower ones, and the includes between modules form no
circle. Ends with "layers: N passed, N failed" (one case per rule)."""
import os
import re
import sys

# The layers, lowest first (docs/architecture.md says what each is for).
LAYERS = [
    ("outils", "buf arena mem text log req upload entities vocab check"),
    ("stockage", "db"),
    ("vues et formats", "template html svg feed ical csv asset view markdown front diff convert restyle extract"),
    ("domaine", "auth action doc file search mail notify meeting interp digest content export archive rsvp poll mailin imap review report mandate"),
    ("pages", "cache page page_*"),
    ("routage", "route"),
    ("transport", "server"),
    ("programme", "main"),
]

# Known exceptions, each a debt to pay back (and to remove from here).
EXCEPTIONS = {}


def layer_of(module):
    """Returns the index of module's layer, or None."""
    for i, (_, names) in enumerate(LAYERS):
        for n in names.split():
            if n == module or (n.endswith("*") and module.startswith(n[:-1])):
                return i
    return None


def includes(src):
    """Returns {module: set of modules it includes} for src/*.c and *.h."""
    graph = {}
    for name in sorted(os.listdir(src)):
        if not name.endswith((".c", ".h")):
            continue
        module = name[:-2]
        with open(os.path.join(src, name), encoding="utf-8") as f:
            for line in f:
                m = re.match(r'\s*#\s*include\s+"([a-z_]+)\.h"', line)
                if m and m.group(1) != module:
                    graph.setdefault(module, set()).add(m.group(1))
        graph.setdefault(module, set())
    return graph


def circle(graph):
    """Returns one circle of the graph as a list of modules, or None."""
    state = {}

    def visit(m, path):
        state[m] = 1
        for n in sorted(graph.get(m, ())):
            if (m, n) in EXCEPTIONS:
                continue
            if state.get(n) == 1:
                return path[path.index(n):] + [n]
            if not state.get(n):
                found = visit(n, path + [n])
                if found:
                    return found
        state[m] = 2
        return None

    for m in sorted(graph):
        if not state.get(m):
            found = visit(m, [m])
            if found:
                return found
    return None


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "src"
    graph = includes(src)
    passed = failed = 0
    for module in sorted(graph):
        mine = layer_of(module)
        problems = []
        if mine is None:
            problems.append("%s n'a pas de couche (ajoutez-le à tests/layers/check.py et à "
                            "docs/architecture.md)" % module)
        for dep in sorted(graph[module]):
            theirs = layer_of(dep)
            if mine is not None and theirs is not None and theirs > mine and \
                    (module, dep) not in EXCEPTIONS:
                problems.append("%s (%s) inclut %s.h (%s, plus haut)" % (
                    module, LAYERS[mine][0], dep, LAYERS[theirs][0]))
        if problems:
            failed += 1
            print("FAIL couche de %s : %s" % (module, " ; ".join(problems)))
        else:
            passed += 1
    found = circle(graph)
    if found:
        failed += 1
        print("FAIL cercle d'inclusions : " + " → ".join(found))
    else:
        passed += 1
    for (a, b), why in sorted(EXCEPTIONS.items()):
        print("note : exception connue %s → %s (%s)" % (a, b, why))
    print("layers: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
