#!/usr/bin/env bash
# Batería completa de pruebas, en una sola orden que termina con error si algo
# falla: prepara el entorno si falta y ejecuta pytest, que (según
# [tool.pytest.ini_options] en pyproject.toml) recorre
#   - tests/: pruebas unitarias, de propiedades, sobre los datos reales, de los
#     informes de referencia y de reproducibilidad de principio a fin;
#   - reports/: con nbval estricto, la reejecución de cada cuaderno publicado en
#     un núcleo nuevo y la comparación de sus salidas con las publicadas.
# Los argumentos extra se pasan a pytest (p. ej. tests/test_metricas.py, -x, -n 0).
set -euo pipefail
raiz=$(cd "$(dirname "$0")/.." && pwd)
cd "$raiz"
bash scripts/entorno.sh
# Dos procesos: la CI tiene dos núcleos. Cada cuaderno va entero a un proceso
# (--dist loadfile, en pyproject.toml).
exec .venv/bin/python -m pytest -n 2 "$@"
