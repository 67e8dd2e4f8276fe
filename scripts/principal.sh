#!/usr/bin/env bash
# Trabajo principal sobre los datos incluidos: prepara el entorno si falta,
# convierte el texto crudo del tablero en el paquete de datos de data/processed/
# y genera los informes de cada periodo en reports/.
set -euo pipefail
raiz=$(cd "$(dirname "$0")/.." && pwd)
cd "$raiz"
bash scripts/entorno.sh
# Todas las capturas del plan (hoy, una): el paquete lleva su historial.
plan=data/raw/gt-6pan-2023-2025
.venv/bin/analisis parse "$plan" --out data/processed
# Los informes leen solo el paquete de datos recién escrito (no el texto crudo).
.venv/bin/analisis informe --todos --datos data/processed --salida reports
