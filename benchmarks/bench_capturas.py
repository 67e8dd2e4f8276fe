"""Rendimiento del historial: 20 capturas de un plan grande frente a 20 análisis sueltos.

No es una prueba. Genera con el generador de ``bench_parse.py`` (semilla fija)
un scrape sintético de 40 MB y, a partir de él, 20 capturas fechadas de un
mismo plan que cambian como un tablero real: en cada captura aparecen avances
nuevos (de un 81 % a todos) y se edita el porcentaje de algunos ya publicados.
Cada una lleva su ficha de procedencia.

Mide ``historial_de`` sobre la carpeta (analizar las 20 y compararlas) y lo
imprime junto a la referencia medida en la misma ejecución: analizar una
captura (la más reciente, la mayor) con ``parsear_archivo``, multiplicado por
20. La diferencia es lo que cuesta emparejar y comparar.

Uso::

    .venv/bin/python benchmarks/bench_capturas.py [--mb 40] [--capturas 20] [--repeticiones 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_parse import Generador, Tiempo, _material, _miles  # noqa: E402

from analisis.lectura.historial import historial_de  # noqa: E402
from analisis.lectura.tablero import parsear_archivo  # noqa: E402


def _bloques_de_avance(lineas: list[str]) -> list[tuple[int, int]]:
    """(inicio, fin) de las líneas de cada avance: desde «Fecha:» hasta la siguiente etiqueta de registro."""
    bloques = []
    inicio = None
    for i, linea in enumerate(lineas):
        nueva = linea.startswith(("Fecha:", "INSTITUCIÓN RESPONSABLE:", "COMPROMISO "))
        if nueva and inicio is not None:
            bloques.append((inicio, i))
            inicio = None
        if linea.startswith("Fecha:"):
            inicio = i
    if inicio is not None:
        bloques.append((inicio, len(lineas)))
    return bloques


def escribir_capturas(base: list[str], carpeta: Path, n: int) -> None:
    """Las ``n`` capturas de ``base``, de la más antigua (``k = 1``) a la más reciente (``k = n``)."""
    bloques = _bloques_de_avance(base)
    inicio_de = {ini: (fin, j) for j, (ini, fin) in enumerate(bloques)}
    for k in range(1, n + 1):
        salida: list[str] = []
        i = 0
        while i < len(base):
            if i not in inicio_de:
                salida.append(base[i])
                i += 1
                continue
            fin, j = inicio_de[i]
            # El avance j existe desde la captura en que (j % 100) < 80 + k: cada captura suma ~1 %.
            if j % 100 < 80 + k * 20 // n:
                bloque = base[i:fin]
                if (j * 7) % 100 == k:  # en esta captura se edita su porcentaje
                    bloque = [f"Porcentaje avance: {k}%" if l.startswith("Porcentaje avance:") else l for l in bloque]
                salida += bloque
            i = fin
        nombre = f"captura_{k:02d}.txt"
        (carpeta / nombre).write_text("\n".join(salida) + "\n", encoding="utf-8")
        ficha = {"fuente": "https://tablero.example/pan", "fecha_captura": f"2025-{1 + (k - 1) // 28:02d}-{1 + (k - 1) % 28:02d}T12:00:00-06:00"}
        (carpeta / f"{nombre}.procedencia.json").write_text(json.dumps(ficha), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mb", type=float, default=40.0, help="tamaño del scrape base en MB (por omisión 40)")
    p.add_argument("--capturas", type=int, default=20, help="capturas del plan (por omisión 20)")
    p.add_argument("--repeticiones", type=int, default=3, help="se informa el mejor de N tiempos (por omisión 3)")
    args = p.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-capturas-") as temporal:
        carpeta = Path(temporal)
        base = carpeta / "base.txt"
        Generador(_material()).escribir(base, int(args.mb * 1024 * 1024))
        plan = carpeta / "plan"
        plan.mkdir()
        escribir_capturas(base.read_text(encoding="utf-8").split("\n"), plan, args.capturas)
        base.unlink()
        ultima = plan / f"captura_{args.capturas:02d}.txt"
        tamanos = [f.stat().st_size for f in plan.glob("*.txt")]

        una, historial = Tiempo(), Tiempo()
        for _ in range(args.repeticiones):
            una.medir(lambda: parsear_archivo(ultima))
            h = historial.medir(lambda: historial_de([plan]))
        tipos: dict[str, int] = {}
        for c in h.cambios:
            tipos[c["tipo"]] = tipos.get(c["tipo"], 0) + 1

    mb = sum(tamanos) / 1024 / 1024
    print(f"{args.capturas} capturas, {mb:.0f} MB en total (de {min(tamanos) / 1e6:.1f} a {max(tamanos) / 1e6:.1f} MB); "
          f"la más reciente: {_miles(len(h.actual.avances))} avances, {_miles(len(h.actual.hitos))} hitos")
    print("cambios detectados: " + ", ".join(f"{t} {_miles(n)}" for t, n in sorted(tipos.items())))
    print(f"mejor de {args.repeticiones}:")
    referencia = una.pared * args.capturas
    print(f"  parsear_archivo (1 captura)          {una.pared:7.2f} s de pared, {una.cpu:7.2f} s de CPU")
    print(f"  × {args.capturas} (referencia)                  {referencia:7.2f} s de pared, {una.cpu * args.capturas:7.2f} s de CPU")
    print(f"  historial_de (las {args.capturas} capturas)       {historial.pared:7.2f} s de pared, {historial.cpu:7.2f} s de CPU")
    print(f"  razón historial / referencia         {historial.pared / referencia:7.2f}× de pared, "
          f"{historial.cpu / (una.cpu * args.capturas):.2f}× de CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
