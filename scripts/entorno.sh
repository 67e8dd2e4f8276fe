#!/usr/bin/env bash
# Crea (o actualiza) el entorno virtual del proyecto en .venv/ a partir de las
# versiones fijadas en requirements/lock.txt. Es idempotente: si el entorno ya
# corresponde al lock y a pyproject.toml, no hace nada.
set -euo pipefail
raiz=$(cd "$(dirname "$0")/.." && pwd)
cd "$raiz"

# WeasyPrint (PDF) necesita Pango; los gráficos y PDF necesitan fuentes DejaVu.
# En Debian vienen en estos paquetes; solo se instalan si faltan. poppler-utils
# (pdftotext, pdftoppm) permite leer y mirar los PDF en las pruebas.
# fonts-symbola es la fuente de respaldo de emoji y símbolos que DejaVu no tiene
# (en gráficos, HTML y PDF): sin ella se verían como cajas vacías.
# libharfbuzz-subset0 deja a WeasyPrint recortar las fuentes con HarfBuzz y no
# con fontTools: el PDF de un periodo pasa de unos 9 s a menos de 2 s.
faltan=()
for paquete in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-symbola libharfbuzz-subset0 poppler-utils; do
    dpkg -s "$paquete" >/dev/null 2>&1 || faltan+=("$paquete")
done
if [ ${#faltan[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "analisis: instalando paquetes del sistema: ${faltan[*]}" >&2
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${faltan[@]}" >/dev/null
fi

huella=$(cat requirements/lock.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ -x .venv/bin/analisis ] && [ "$(cat .venv/.huella 2>/dev/null)" = "$huella" ]; then
    exit 0
fi
echo "analisis: preparando el entorno virtual en .venv/ (versiones de requirements/lock.txt)" >&2
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements/lock.txt
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
.venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
echo "$huella" > .venv/.huella
