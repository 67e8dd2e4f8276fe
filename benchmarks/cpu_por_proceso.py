"""Pared y CPU de varias órdenes en vueltas alternadas, con la CPU repartida por papel de cada proceso.

La máquina es compartida: la misma orden tarda el doble según la carga de los
demás, y el mismo trabajo cuesta más CPU cuando los otros hilos de su núcleo
físico están ocupados. Por eso dos variantes solo se comparan en pares
alternados: ``A B A B ...``, y se imprime la mediana y el mínimo de cada una.

La CPU (usuario + sistema) de cada proceso descendiente se lee de
``/proc/PID/stat`` cada 20 ms hasta que termina la orden, también la de los
que quedan huérfanos (el servidor de procesos termina justo después del
principal). Papeles: ``principal`` (``analisis informe``), ``núcleos`` (los
núcleos y su servidor, ``analisis.informe.nucleos``), ``trabajo`` (el servidor
de procesos de ``multiprocessing`` y los procesos de trabajo) y ``otros``.

Solo Linux (``/proc``). Uso::

    python3 benchmarks/cpu_por_proceso.py VUELTAS NOMBRE=ORDEN [NOMBRE=ORDEN ...]

Por ejemplo, el código de otro commit frente a este (``OTRO`` es una carpeta
con el ``src/`` de ese commit: ``git archive REV src | tar -x -C OTRO``)::

    python3 benchmarks/cpu_por_proceso.py 5 \\
        "antes=PYTHONPATH=OTRO/src .venv/bin/analisis informe --periodo 2025-T2 --salida {salida}" \\
        "ahora=.venv/bin/analisis informe --periodo 2025-T2 --salida {salida}"

``{salida}`` se cambia en cada vuelta por una carpeta temporal nueva (en frío),
que el script crea y borra. Imprime cifras; no es una prueba.
"""

from __future__ import annotations

import collections
import os
import statistics
import subprocess
import sys
import tempfile
import time

TICS = os.sysconf("SC_CLK_TCK")


def _procesos() -> dict[int, tuple[int, float, str]]:
    """Por pid: (pid del padre, segundos de CPU, línea de órdenes)."""
    vistos = {}
    for nombre in os.listdir("/proc"):
        if not nombre.isdigit():
            continue
        try:
            with open(f"/proc/{nombre}/stat") as f:
                stat = f.read()
            with open(f"/proc/{nombre}/cmdline", "rb") as f:
                orden = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        campos = stat[stat.rindex(")") + 2:].split()
        vistos[int(nombre)] = (int(campos[1]), (int(campos[11]) + int(campos[12])) / TICS, orden)
    return vistos


def _descendientes(procesos: dict, raiz: int) -> set[int]:
    hijos = collections.defaultdict(list)
    for pid, (padre, _, _) in procesos.items():
        hijos[padre].append(pid)
    encontrados, pendientes = set(), [raiz]
    while pendientes:
        pid = pendientes.pop()
        encontrados.add(pid)
        pendientes.extend(hijos[pid])
    return encontrados


def papel(orden: str) -> str:
    if "analisis.informe.nucleos" in orden or "ipykernel" in orden:
        return "núcleos"
    if "multiprocessing" in orden:
        return "trabajo"
    if "analisis informe" in orden or "/analisis " in orden:
        return "principal"
    return "otros"


def medir(orden: str) -> tuple[float, collections.Counter]:
    """Pared de ``orden`` y CPU de sus procesos por papel."""
    inicio = time.perf_counter()
    proceso = subprocess.Popen(orden, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ultimo: dict[int, tuple[float, str]] = {}
    seguidos = {proceso.pid}
    while proceso.poll() is None:
        procesos = _procesos()
        for pid in _descendientes(procesos, proceso.pid) | (seguidos & procesos.keys()):
            seguidos.add(pid)
            _, cpu, linea = procesos[pid]
            ultimo[pid] = (cpu, linea or ultimo.get(pid, (0.0, ""))[1])
        time.sleep(0.02)
    pared = time.perf_counter() - inicio
    por_papel: collections.Counter = collections.Counter()
    for cpu, linea in ultimo.values():
        por_papel[papel(linea)] += cpu
    return pared, por_papel


def main(argv: list[str]) -> None:
    if len(argv) < 2 or not argv[0].isdigit() or any("=" not in a for a in argv[1:]):
        uso = __doc__.split("Uso::")[1].split("Por ejemplo")[0].strip()
        print(f"cpu_por_proceso: error: se espera {uso}", file=sys.stderr)
        sys.exit(2)
    vueltas = int(argv[0])
    variantes = dict(a.split("=", 1) for a in argv[1:])
    medidas: dict[str, list] = {nombre: [] for nombre in variantes}
    for _ in range(vueltas):
        for nombre, orden in variantes.items():
            with tempfile.TemporaryDirectory(prefix="cpu_por_proceso-") as carpeta:
                medidas[nombre].append(medir(orden.replace("{salida}", f"{carpeta}/salida")))
            time.sleep(1)
    for nombre, lista in medidas.items():
        paredes = [p for p, _ in lista]
        cpus = [sum(c.values()) for _, c in lista]
        print(f"{nombre:10s} pared: mediana {statistics.median(paredes):6.2f} s, mínimo {min(paredes):6.2f} s | "
              f"CPU: mediana {statistics.median(cpus):6.2f} s, mínimo {min(cpus):6.2f} s")
        papeles = sorted({k for _, c in lista for k in c})
        print("           CPU por papel (mediana): "
              + ", ".join(f"{k} {statistics.median(c[k] for _, c in lista):.2f} s" for k in papeles))


if __name__ == "__main__":
    main(sys.argv[1:])
