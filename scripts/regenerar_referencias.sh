#!/usr/bin/env bash
# Regenera los informes de referencia publicados en reports/ (cuadernos
# ejecutados, HTML, PDF, tablas y datos de cada periodo con avances, e índice)
# a partir de data/raw/ y del código actual, y muestra qué cambió para revisarlo
# como se revisa el código.
#
# Úsese cuando un cambio de código o de datos cambia legítimamente un informe:
# las pruebas (nbval y tests/test_reproducibilidad.py) fallan hasta que las
# referencias se regeneran y se confirman. Ver docs/reproducibilidad.md.
set -euo pipefail
raiz=$(cd "$(dirname "$0")/.." && pwd)
cd "$raiz"
bash scripts/entorno.sh

# Se genera todo en una carpeta nueva, sin caché: una huella vieja nunca hace
# pasar por regenerado un informe que no se rehízo, y si un cuaderno falla,
# reports/ queda como estaba. La carpeta está dentro de reports/ para que el
# cambio final sea un renombre en el mismo sistema de archivos; es oculta para
# que pytest no la recorra.
nueva=$(mktemp -d reports/.regenerar-XXXXXX)
trap 'rm -rf "$nueva"' EXIT
.venv/bin/analisis parse data/raw/gt-6pan-2023-2025 --out data/processed
.venv/bin/analisis informe --todos --salida "$nueva"

# Sustituir todas las carpetas de periodo: un periodo que ya no se genera
# (p. ej. porque cambiaron los datos) no debe quedar publicado como referencia.
for carpeta in reports/*/; do
    [ -d "$carpeta" ] || continue
    carpeta=${carpeta%/}
    if [ ! -d "$nueva/$(basename "$carpeta")" ]; then
        echo "analisis: se elimina $carpeta (ya no es un periodo de referencia)" >&2
    fi
    rm -rf "$carpeta"
done
for carpeta in "$nueva"/*/; do
    mv "${carpeta%/}" reports/
done
mv "$nueva/index.html" reports/index.html
# El manifiesto dice qué archivos de reports/ creó analisis: sin él, la siguiente
# «analisis informe --salida reports» no reemplazaría los informes publicados.
mv "$nueva/.analisis-manifiesto.json" reports/.analisis-manifiesto.json

echo
echo "Referencias regeneradas en reports/. Revise los cambios antes de confirmarlos:"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git status --short -- reports/
    git --no-pager diff --stat -- reports/
    echo
    echo "  git diff -- reports/              (cuadernos, HTML y tablas: diff de texto)"
    echo "  git add reports/ && git commit    (cuando el cambio sea el esperado)"
fi
