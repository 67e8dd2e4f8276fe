"""Orden ``analisis capturar``: añade una captura fechada del tablero a ``data/raw/<plan>/``.

    analisis capturar ARCHIVO --plan P --fecha AAAA-MM-DDTHH:MM:SS±HH:MM [--fuente URL]

Copia el texto tal cual (mismos bytes) como ``captura_<fecha>.txt`` y escribe
su ficha ``.procedencia.json`` con la fuente, la fecha y el SHA-256. Nunca
reescribe una captura: si ya hay una con la misma fecha y el mismo contenido,
avisa «ya existe» y termina con estado 0 (repetir la orden no es un error); si
la hay con otro contenido, es un error (estado 2) y no se escribe nada. El
mismo contenido con otra fecha sí es una captura nueva: prueba que el tablero
no cambió entre ambas fechas.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

_RE_PLAN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def agregar_subcomando(sub) -> None:
    p = sub.add_parser(
        "capturar",
        help="añade una captura fechada del texto del tablero a data/raw/<plan>/",
        description="Guarda una captura del tablero con su ficha de procedencia; nunca reescribe una captura existente.",
    )
    p.add_argument("archivo", type=Path, metavar="ARCHIVO", help="texto copiado del tablero")
    p.add_argument("--plan", metavar="P", help="nombre del plan: la carpeta data/raw/P/ (p. ej. gt-6pan-2023-2025) (obligatorio)")
    p.add_argument("--fecha", metavar="FECHA", help="fecha y hora de la captura, ISO 8601 con zona (p. ej. 2025-06-01T10:00:00-06:00); no puede ser anterior al avance más reciente del texto ni posterior a ahora (obligatorio)")
    p.add_argument("--fuente", metavar="URL", help="dirección de la página capturada")
    p.set_defaults(funcion=ejecutar)


def ejecutar(args: argparse.Namespace) -> int:
    from ..errores import ErrorParametro
    from ..escritura import escribir_archivo
    from ..lectura.capturas import (
        SUFIJO_PROCEDENCIA,
        es_captura,
        leer_captura,
        nombre_captura,
        parsear_fecha_captura,
    )
    from ..lectura.rutas import leer_bytes, raiz_proyecto
    from ..lectura.tablero import parsear_bytes

    if not args.plan:
        raise ErrorParametro("falta --plan (el nombre de la carpeta del plan en data/raw/, p. ej. gt-6pan-2023-2025)")
    if not _RE_PLAN.fullmatch(args.plan):
        raise ErrorParametro(
            f"--plan «{args.plan}» no es válido: se espera un nombre de carpeta (letras, números, «.», «_», «-»)"
        )
    if not args.fecha:
        raise ErrorParametro("falta --fecha (ISO 8601 con zona, p. ej. 2025-06-01T10:00:00-06:00)")
    fecha = parsear_fecha_captura(args.fecha, "--fecha", campo="el valor")
    datos = leer_bytes(args.archivo)
    tablero = parsear_bytes(datos, str(args.archivo))  # solo se archiva un texto que se puede leer
    _comprobar_fecha(fecha, tablero, args.fecha)

    carpeta = raiz_proyecto() / "data" / "raw" / args.plan
    destino = carpeta / nombre_captura(fecha)
    sha256 = hashlib.sha256(datos).hexdigest()
    if carpeta.is_dir():
        for previa in sorted(p for p in carpeta.iterdir() if es_captura(p)):
            existente = leer_captura(previa)
            if previa != destino and (existente.fecha is None or existente.fecha != fecha):
                continue
            if existente.sha256 == sha256:
                print(f"analisis: la captura ya existe: {previa} (mismo contenido y fecha); no se escribió nada", file=sys.stderr)
                return 0
            raise ErrorParametro(
                f"ya hay otra captura con la fecha {fecha.isoformat()}: {previa} (sha256 {existente.sha256}); "
                "no se reescribe una captura"
            )
    ficha = {
        "fuente": args.fuente,
        "fecha_captura": fecha.isoformat(),
        "sha256": sha256,
        "bytes": len(datos),
        "archivo_original": Path(args.archivo).name,
    }
    texto = json.dumps(ficha, ensure_ascii=False, indent=2) + "\n"
    # La ficha primero: si el proceso muere entre ambas escrituras queda una
    # ficha sin captura, que ninguna orden toma por captura, y repetir la orden
    # la completa. Al revés quedaría una captura sin fecha.
    escribir_archivo(carpeta / (destino.name + SUFIJO_PROCEDENCIA), texto.encode("utf-8"))
    escribir_archivo(destino, datos)
    print(f"analisis: captura del {fecha.isoformat()} guardada en {destino}", file=sys.stderr)
    return 0


def _comprobar_fecha(fecha: datetime, tablero, texto: str) -> None:
    """Una fecha de captura que los propios datos desmienten es un error, no un dato.

    Una captura no puede ser anterior al avance más reciente que contiene (las
    fechas de registro del tablero son hora de reloj local, sin zona: se
    comparan con la hora de reloj de la captura), ni posterior a este momento.
    Aceptarla haría que lo reportado «al corte» se atribuyera a un día en que
    el tablero no decía eso.
    """
    from ..errores import ErrorParametro

    registros = [a["fecha_registro"] for a in tablero.avances if a.get("fecha_registro")]
    if registros:
        ultimo = datetime.fromisoformat(max(registros))
        if fecha.replace(tzinfo=None) < ultimo:
            raise ErrorParametro(
                f"--fecha {texto}: es anterior al avance más reciente de la captura, registrado el "
                f"{ultimo.isoformat(sep=' ')}; una captura no puede ser anterior a lo que contiene"
            )
    ahora = datetime.now(timezone.utc)
    if fecha > ahora:
        raise ErrorParametro(
            f"--fecha {texto}: es posterior a este momento ({ahora.astimezone(fecha.tzinfo).isoformat(timespec='seconds')})"
        )
