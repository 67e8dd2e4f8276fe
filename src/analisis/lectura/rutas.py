"""Rutas del proyecto: raíz, cuadernos, datos incluidos.

Los cuadernos reciben la fuente como ruta *relativa a la raíz del proyecto*
(``data/raw/...``) y no como ruta absoluta: así los cuadernos ejecutados que se
publican no dependen de la carpeta donde alguien clonó el repositorio, y el
mismo cuaderno se puede reejecutar desde ``reports/<periodo>/``, desde
``notebooks/`` o desde una carpeta temporal.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errores import ErrorEntrada, ErrorParametro

FUENTE_INCLUIDA = "data/raw/gt-6pan-2023-2025/tableropan_gt_6pan_2023-2025.txt"
# El paquete de datos incluido, escrito por «analisis parse» desde FUENTE_INCLUIDA:
# lo que leen por omisión los cuadernos y «analisis informe».
PAQUETE_INCLUIDO = "data/processed"


def _es_raiz(carpeta: Path) -> bool:
    return (carpeta / "pyproject.toml").is_file() and (carpeta / "data" / "raw").is_dir()


def raiz_proyecto() -> Path:
    """Carpeta raíz del proyecto.

    En orden: la variable ``ANALISIS_RAIZ``; la carpeta del repositorio del que
    se instaló el paquete (instalación editable, la de ``scripts/entorno.sh``);
    la primera carpeta, subiendo desde la actual, que tenga ``pyproject.toml``
    y ``data/raw/``.
    """
    if os.environ.get("ANALISIS_RAIZ"):
        return Path(os.environ["ANALISIS_RAIZ"]).resolve()
    desde_paquete = Path(__file__).resolve().parents[3]
    if _es_raiz(desde_paquete):
        return desde_paquete
    actual = Path.cwd().resolve()
    for carpeta in (actual, *actual.parents):
        if _es_raiz(carpeta):
            return carpeta
    raise ErrorParametro(
        "no se encuentra la raíz del proyecto (una carpeta con pyproject.toml y data/raw/); "
        "defina ANALISIS_RAIZ o ejecute desde el repositorio"
    )


def _candidatas(ruta: Path) -> list[Path]:
    """Dónde buscar una ruta: tal cual si es absoluta; si no, en la carpeta actual y en la raíz del proyecto."""
    if ruta.is_absolute():
        return [ruta]
    candidatas = [Path.cwd() / ruta]
    try:
        candidatas.append(raiz_proyecto() / ruta)
    except ErrorParametro:
        pass
    return candidatas


def resolver_carpeta(datos: str | Path) -> Path:
    """Ruta real de un paquete de datos (una carpeta con ``datapackage.json``)."""
    if not str(datos).strip():
        raise ErrorParametro("falta la carpeta del paquete de datos")
    candidatas = _candidatas(Path(datos))
    for candidata in candidatas:
        if (candidata / "datapackage.json").is_file():
            return candidata.resolve()
    probadas = ", ".join(str(c) for c in candidatas)
    raise ErrorParametro(
        f"no hay un paquete de datos en «{datos}» (falta datapackage.json; se buscó en: {probadas}); "
        "créelo con «analisis parse RAW --out DIR»"
    )


def resolver_fuente(fuente: str | Path) -> Path:
    """Ruta real del archivo crudo: absoluta, relativa a la carpeta actual o a la raíz del proyecto."""
    return resolver_archivo(
        fuente, "fuente",
        carpeta="para la carpeta de un plan, use «analisis parse CARPETA --out PAQUETE» y luego --datos PAQUETE",
    )


def resolver_archivo(ruta: str | Path, que: str, carpeta: str = "") -> Path:
    """Ruta real de un archivo de entrada (``que`` lo nombra en el error: «de valoraciones»).

    Una carpeta donde se espera un archivo se dice como tal (no como «no existe»),
    con la sugerencia ``carpeta`` si se da.
    """
    candidatas = _candidatas(Path(ruta))
    for candidata in candidatas:
        if candidata.is_file():
            return candidata.resolve()
    for candidata in candidatas:
        if candidata.is_dir():
            sugerencia = f"; {carpeta}" if carpeta else ""
            raise ErrorParametro(f"el archivo {que} «{ruta}» es una carpeta ({candidata}){sugerencia}")
    probadas = ", ".join(str(c) for c in candidatas)
    raise ErrorParametro(f"no existe el archivo {que} «{ruta}» (se buscó en: {probadas})")


def fuente_para_cuaderno(fuente: str | Path) -> str:
    """Cómo pasar la fuente a un cuaderno: relativa a la raíz si está dentro del proyecto."""
    real = resolver_fuente(fuente)
    try:
        return real.relative_to(raiz_proyecto()).as_posix()
    except (ValueError, ErrorParametro):
        return str(real)


def carpeta_cuadernos() -> Path:
    return raiz_proyecto() / "notebooks"


def leer_bytes(
    ruta: str | Path,
    no_existe: str = "el archivo no existe",
    es_carpeta: str = "se esperaba un archivo y es una carpeta",
) -> bytes:
    """Los bytes de un archivo de entrada; si falta o es una carpeta, un :class:`ErrorEntrada` de una línea.

    ``no_existe`` y ``es_carpeta`` son los motivos del mensaje (p. ej. «no
    existe el archivo de valoraciones»). Otros errores del sistema siguen su
    curso: quien llama decide si son de la entrada.
    """
    try:
        return Path(ruta).read_bytes()
    except FileNotFoundError:
        raise ErrorEntrada(ruta, None, no_existe) from None
    except IsADirectoryError:
        raise ErrorEntrada(ruta, None, es_carpeta) from None
