"""Informes de muchos planes × periodos repartidos en un clúster de Dask.

Cada par (plan, periodo) es una tarea independiente que ejecuta la orden de
siempre, ``analisis informe --periodo P --fuente PLAN --salida DIR``, en un
trabajador de ``dask.distributed``. analisis no planifica nada: Dask reparte
las tareas, reintenta las de un trabajador caído y muestra el avance en su
panel. Sin ``--planificador`` se arranca un ``LocalCluster`` en esta máquina; con
él, las tareas van a un clúster existente (los trabajadores necesitan analisis
instalado y ver las mismas rutas, p. ej. un disco compartido).

Cada tarea escribe en su propia carpeta, ``<salida>/<plan>/<periodo>/``: dos
ejecuciones sobre la misma carpeta de salida no se mezclan (la segunda
esperaría a la primera), así que carpetas separadas son las que de verdad
corren en paralelo.

Dask no es una dependencia de analisis; se instala aparte::

    .venv/bin/pip install "dask[distributed]"

Uso::

    .venv/bin/python scripts/dask_informes.py PLAN.txt [PLAN.txt ...] --salida DIR
        [--periodos 2025-T1 2025-T2 | (por omisión) todos los trimestres con avances]
        [--trabajadores 2] [--planificador tcp://host:8786]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path


def periodos_del_plan(plan: Path) -> list[str]:
    """Trimestres con algún avance registrado, como ``analisis informe --todos``."""
    from analisis.evaluacion.periodos import periodos_con_datos
    from analisis.lectura.tablero import parsear_archivo

    tablero = parsear_archivo(plan)
    return [p.etiqueta for p in periodos_con_datos(date.fromisoformat(a["fecha_registro"][:10]) for a in tablero.avances)]


def informe(plan: str, periodo: str, salida: str, analisis: str) -> dict:
    """La tarea: una ejecución de la orden ``analisis informe`` (corre en un trabajador)."""
    inicio = time.perf_counter()
    r = subprocess.run(
        [analisis, "informe", "--periodo", periodo, "--fuente", plan, "--salida", salida, "--trabajos", "1"],
        capture_output=True,
        text=True,
    )
    ultima = (r.stderr.strip().splitlines() or [""])[-1]
    return {"plan": plan, "periodo": periodo, "estado": r.returncode, "segundos": time.perf_counter() - inicio, "mensaje": ultima}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Informes de muchos planes × periodos en un clúster de Dask.")
    parser.add_argument("planes", nargs="+", type=Path, metavar="PLAN", help="textos crudos de tableros")
    parser.add_argument("--salida", type=Path, required=True, metavar="DIR", help="carpeta raíz: DIR/<plan>/<periodo>/")
    parser.add_argument("--periodos", nargs="+", metavar="P", help="periodos (por omisión, los trimestres con avances de cada plan)")
    parser.add_argument("--trabajadores", type=int, default=2, metavar="N", help="trabajadores del LocalCluster (por omisión 2)")
    parser.add_argument("--planificador", metavar="DIRECCIÓN", help="clúster existente, p. ej. tcp://10.0.0.5:8786")
    args = parser.parse_args(argv)

    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        print('dask_informes: falta Dask; instálelo con «.venv/bin/pip install "dask[distributed]"»', file=sys.stderr)
        return 2
    analisis = shutil.which("analisis", path=str(Path(sys.executable).parent)) or "analisis"

    tareas = []
    for plan in args.planes:
        for periodo in args.periodos or periodos_del_plan(plan):
            carpeta = args.salida / plan.stem / periodo
            tareas.append((str(plan.resolve()), periodo, str(carpeta.resolve()), analisis))
    print(f"dask_informes: {len(tareas)} tareas ({len(args.planes)} planes)", file=sys.stderr)

    if args.planificador:
        cliente = Client(args.planificador)
    else:
        # Un hilo por trabajador: cada tarea ya lanza sus propios procesos (núcleos de Jupyter).
        cliente = Client(LocalCluster(n_workers=args.trabajadores, threads_per_worker=1, processes=True))
    with cliente:
        print(f"dask_informes: panel de Dask en {cliente.dashboard_link}", file=sys.stderr)
        inicio = time.perf_counter()
        futuros = [cliente.submit(informe, *t, pure=False, key=f"informe-{Path(t[0]).stem}-{t[1]}") for t in tareas]
        fallidas = 0
        for futuro in as_completed(futuros):
            r = futuro.result()
            fallidas += r["estado"] != 0
            marca = "bien" if r["estado"] == 0 else f"ERROR {r['estado']}"
            print(f"  {Path(r['plan']).stem} {r['periodo']}: {marca} ({r['segundos']:.1f} s) {r['mensaje']}", file=sys.stderr)
        print(f"dask_informes: {len(tareas) - fallidas} de {len(tareas)} en {time.perf_counter() - inicio:.1f} s", file=sys.stderr)
    return 1 if fallidas else 0


if __name__ == "__main__":
    sys.exit(main())
