"""Orden ``analisis enlaces``: comprueba los enlaces de evidencia y guarda la observación.

    analisis enlaces --datos DIR --out ARCHIVO.csv|CARPETA [--tiempo-max S] [--trabajos N]

Cada ejecución es una observación fechada que nunca reemplaza a otra: si
``--out`` es un archivo, no debe existir; si es una carpeta (la de
observaciones del plan, ``data/raw/<plan>/enlaces/``), se escribe en ella
``<AAAA-MM-DD>.csv`` con la fecha UTC de la consulta, o
``<AAAA-MM-DD>T<HHMMSS>Z.csv`` si ese día ya hay otra (así el orden de los
nombres es el de las consultas). Los enlaces rotos o sin respuesta no son errores: la orden
termina con estado 0 y los cuenta.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path

from ..errores import ErrorParametro


def agregar_subcomando(sub) -> None:
    from ..lectura.enlaces import TIEMPO_MAX, TRABAJOS

    p = sub.add_parser(
        "enlaces",
        help="comprueba los enlaces de evidencia de los avances y guarda una observación fechada",
        description=(
            "Consulta cada enlace de la columna urls de avances.csv (HEAD y, si el servidor no lo admite, GET) "
            "y escribe avance_id, url, estado (ok, redirigido, roto, sin_respuesta), codigo_http, url_final y "
            "fecha_consulta. Un enlace roto o sin conexión no es un error."
        ),
    )
    p.add_argument("--datos", metavar="DIR", help="paquete de datos escrito por «analisis parse» (obligatorio)")
    p.add_argument(
        "--out",
        "--salida",
        dest="out",
        metavar="ARCHIVO",
        help="CSV nuevo de la observación, o carpeta de observaciones del plan (data/raw/<plan>/enlaces/) (obligatorio)",
    )
    p.add_argument(
        "--tiempo-max",
        type=float,
        default=TIEMPO_MAX,
        metavar="S",
        help=f"segundos de espera máxima por conexión y por lectura (por omisión {TIEMPO_MAX:g})",
    )
    p.add_argument("--trabajos", type=int, default=TRABAJOS, metavar="N", help=f"consultas a la vez (por omisión {TRABAJOS})")
    p.set_defaults(funcion=ejecutar)


def _destino(out: Path) -> Path:
    """Archivo donde escribir: ``out`` si es un archivo nuevo; en una carpeta, el nombre del día o de la hora."""
    if out.is_dir():
        ahora = datetime.now(timezone.utc)
        candidato = out / f"{ahora:%Y-%m-%d}.csv"
        if not candidato.exists():
            return candidato
        candidato = out / f"{ahora:%Y-%m-%dT%H%M%SZ}.csv"
        if candidato.exists():
            raise ErrorParametro(f"--out {candidato}: ya existe; una observación nunca reemplaza a otra, espere un segundo")
        return candidato
    if out.exists() or out.is_symlink():
        raise ErrorParametro(f"--out {out}: ya existe; una observación nunca reemplaza a otra, elija otro nombre o una carpeta")
    return out


class _Progreso:
    """Avance en la salida de errores: una línea que se reescribe en un terminal, algunas líneas si no."""

    def __init__(self) -> None:
        self.terminal = sys.stderr.isatty()

    def __call__(self, hechas: int, total: int) -> None:
        if self.terminal:
            print(f"\ranalisis: enlaces comprobados {hechas}/{total}", end="" if hechas < total else "\n", file=sys.stderr, flush=True)
        elif hechas == total or hechas % 25 == 0:
            print(f"analisis: enlaces comprobados {hechas}/{total}", file=sys.stderr, flush=True)


def ejecutar(args: argparse.Namespace) -> int:
    from ..escritura import escribir_archivo_nuevo
    from ..lectura.enlaces import ESTADOS, comprobar_enlaces, observaciones_csv, urls_de_avances
    from ..lectura.paquete import leer_paquete

    if not args.datos:
        raise ErrorParametro("falta --datos DIR (el paquete de datos escrito por «analisis parse»)")
    if not args.out:
        raise ErrorParametro("falta --out ARCHIVO.csv o la carpeta de observaciones del plan")
    if not args.tiempo_max > 0:
        raise ErrorParametro("--tiempo-max debe ser un número de segundos mayor que 0")
    if args.trabajos < 1:
        raise ErrorParametro("--trabajos debe ser al menos 1")
    _destino(Path(args.out))  # antes de consultar nada: un --out que no sirve se dice enseguida
    tablas = leer_paquete(args.datos)
    pares = urls_de_avances(tablas.avances)
    unicas = len({url for _, url in pares})
    print(f"analisis: {len(pares)} enlaces en {tablas.avances['urls'].str.strip().ne('').sum()} avances, "
          f"{unicas} direcciones distintas", file=sys.stderr)
    tabla = comprobar_enlaces(pares, args.tiempo_max, args.trabajos, _Progreso())
    destino = _destino(Path(args.out))
    try:
        escribir_archivo_nuevo(destino, observaciones_csv(tabla))
    except FileExistsError:
        raise ErrorParametro(f"--out {destino}: ya existe; una observación nunca reemplaza a otra") from None
    cuentas = tabla["estado"].value_counts()
    resumen = ", ".join(f"{int(cuentas.get(e, 0))} {e}" for e in ESTADOS)
    print(f"analisis: {resumen}; observación escrita en {destino}", file=sys.stderr)
    return 0
