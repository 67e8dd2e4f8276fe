"""Planes sintéticos de cualquier tamaño hechos con los compromisos reales.

Toma el scrape real (``data/raw/gt-6pan-2023-2025/tableropan_gt_6pan_2023-2025.txt``) y escribe
otro texto del mismo formato, que ``analisis parse`` lee igual:

* ``--compromisos N``: los compromisos reales se repiten en orden (1, 2, …, 6,
  1, 2, …) hasta tener N, renumerados «COMPROMISO 1:» … «COMPROMISO N:». Cada
  copia conserva sus hitos, fechas, instituciones y organizaciones, así que las
  métricas de un hito cuestan lo mismo en un plan de 6 que en uno de 500.
* ``--copias K``: cada avance de cada hito aparece K veces seguidas. La copia
  ``c`` (de 1 a K-1) se registra ``c`` minutos después y su descripción termina
  en «Seguimiento c.», de modo que las copias son casi iguales pero no
  idénticas: es el peor caso de la regla de avances casi duplicados, que tiene
  que comparar cada avance con los anteriores del hito.
* Los contadores de la cabecera son los reales multiplicados por N/6 (con 6
  compromisos y una copia, el texto generado es el real byte a byte; el real no
  cuadra con sus hitos, y el sintético tampoco, en la misma proporción).

No hay azar: el mismo N y K dan siempre los mismos bytes.

Uso::

    .venv/bin/python benchmarks/sintetico.py --compromisos 500 --copias 5 --salida sinteticos/plan.txt
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
SCRAPE_REAL = RAIZ / "data" / "raw" / "gt-6pan-2023-2025" / "tableropan_gt_6pan_2023-2025.txt"

_COMPROMISO = re.compile(r"^COMPROMISO (\d+):$")
_FECHA = re.compile(r"^Fecha: (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})$")
_INICIO_HITO = "INSTITUCIÓN RESPONSABLE:"
_DESCRIPCION = "Descripción:"


def _partir(texto: str) -> tuple[list[str], list[list[str]]]:
    """Cabecera (líneas antes del primer compromiso) y bloques de líneas, uno por compromiso."""
    cabecera: list[str] = []
    bloques: list[list[str]] = []
    for linea in texto.splitlines():
        if _COMPROMISO.match(linea):
            bloques.append([linea])
        elif bloques:
            bloques[-1].append(linea)
        else:
            cabecera.append(linea)
    if not bloques:
        raise ValueError("el scrape no tiene ninguna línea «COMPROMISO N:»")
    return cabecera, bloques


def _copiar_avances(bloque: list[str], copias: int) -> list[str]:
    """El bloque con cada avance (de «Fecha:» al siguiente avance o hito) repetido ``copias`` veces."""
    salida: list[str] = []
    avance: list[str] = []

    def volcar() -> None:
        if not avance:
            return
        salida.extend(avance)
        registro = datetime.fromisoformat(_FECHA.match(avance[0]).group(1))
        for c in range(1, copias):
            for linea in avance:
                if linea is avance[0]:
                    linea = f"Fecha: {registro + timedelta(minutes=c):%Y-%m-%d %H:%M:%S}"
                elif linea.startswith(_DESCRIPCION):
                    linea = f"{linea.rstrip()} Seguimiento {c}."
                salida.append(linea)
        avance.clear()

    for linea in bloque:
        if _FECHA.match(linea):
            volcar()
            avance.append(linea)
        elif linea == _INICIO_HITO:
            volcar()
            salida.append(linea)
        elif avance:
            avance.append(linea)
        else:
            salida.append(linea)
    volcar()
    return salida


def _contadores(cabecera: list[str], compromisos: int, reales: int) -> list[str]:
    """Los tres contadores de la cabecera multiplicados por ``compromisos / reales``."""
    numeros = [int(n) for n in re.findall(r"\d+", "\n".join(cabecera))]
    if len(numeros) != 3:
        return cabecera
    total = sum(numeros) * compromisos // reales
    no_iniciados, iniciados = (n * compromisos // reales for n in numeros[:2])
    completados = total - no_iniciados - iniciados
    return [str(no_iniciados), f"HITOS NO INICIADOS{iniciados}", f"HITOS INICIADOS{completados}", "HITOS COMPLETADOS"]


def generar(compromisos: int, copias: int = 1, fuente: Path = SCRAPE_REAL) -> str:
    """Texto de un plan con ``compromisos`` compromisos y cada avance repetido ``copias`` veces."""
    if compromisos < 1 or copias < 1:
        raise ValueError("compromisos y copias tienen que ser al menos 1")
    texto = fuente.read_text(encoding="utf-8")
    cabecera, reales = _partir(texto)
    reales = [_copiar_avances(b, copias) for b in reales]
    cuerpo: list[str] = []
    for numero in range(1, compromisos + 1):
        bloque = reales[(numero - 1) % len(reales)]
        cuerpo.append(f"COMPROMISO {numero}:")
        cuerpo.extend(bloque[1:])
    final = "\n" if texto.endswith("\n") else ""
    return "\n".join([*_contadores(cabecera, compromisos, len(reales)), *cuerpo]) + final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Escribe un plan sintético con los compromisos reales repetidos.")
    parser.add_argument("--compromisos", type=int, default=50, help="número de compromisos (por omisión 50)")
    parser.add_argument("--copias", type=int, default=1, help="veces que aparece cada avance (por omisión 1)")
    parser.add_argument("--salida", type=Path, required=True, help="archivo de texto que se escribe")
    args = parser.parse_args(argv)
    args.salida.parent.mkdir(parents=True, exist_ok=True)
    args.salida.write_text(generar(args.compromisos, args.copias), encoding="utf-8")
    print(f"{args.salida}: {args.compromisos} compromisos, avances × {args.copias}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
