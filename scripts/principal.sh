#!/usr/bin/env bash
# Trabajo principal sobre los datos incluidos: prepara el entorno si falta,
# convierte el texto crudo del tablero en el paquete de datos de data/processed/
# y genera los informes de cada periodo en reports/.
set -euo pipefail
raiz=$(cd "$(dirname "$0")/.." && pwd)
cd "$raiz"
bash scripts/entorno.sh
crudo=data/raw/tableropan_gt_6pan_2023-2025.txt
.venv/bin/analisis parse "$crudo" --out data/processed
if .venv/bin/analisis informe --help >/dev/null 2>&1; then
    .venv/bin/analisis informe --todos --fuente "$crudo" --salida reports
fi
