#!/usr/bin/env bash
# Batería completa de pruebas: prepara el entorno si falta y ejecuta pytest
# (pruebas unitarias, de propiedades, sobre los datos reales y, con nbval, la
# reejecución estricta de los cuadernos de referencia). Los argumentos extra se
# pasan a pytest.
set -euo pipefail
raiz=$(cd "$(dirname "$0")/.." && pwd)
cd "$raiz"
bash scripts/entorno.sh
exec .venv/bin/python -m pytest "$@"
