"""Tiempo de ``analisis informe --todos`` (ocho trimestres) frente a un solo periodo, en la misma ejecución.

El tablero incluido tiene avances en dos trimestres; para medir ocho se escribe
en una carpeta temporal una variante con las mismas líneas en la que la fecha
de registro del avance j-ésimo (en el orden del archivo, de n) pasa al
trimestre ``8j/n`` a partir de 2023-T3 (la hora se conserva): los 44 avances
quedan repartidos en ocho trimestres seguidos, sin azar. Se analiza una vez con ``analisis parse`` y
se mide, con ese paquete:

1. papermill con un cuaderno de una celda (la unidad del proyecto);
2. ``analisis informe --periodo P`` en frío, con P el último trimestre;
3. ``analisis informe --todos`` en frío (ocho periodos);
4. las dos órdenes otra vez sin cambios (deben reutilizar y tardar < 1 s);
5. una vez más cada orden en frío, con la CPU repartida por papel de proceso
   (``cpu_por_proceso.py``), y, en este proceso, la CPU de maquetar con
   WeasyPrint las secciones de cada periodo que escribió ``--todos``: el
   presupuesto de CPU que deja el objetivo a cada periodo de más, frente a lo
   que cuesta hoy y a lo que cuesta solo la maqueta del PDF.

De cada paso: tiempo de pared y CPU de los procesos hijos (usuario + sistema,
incluidos núcleos y procesos de trabajo); y la carga de la máquina antes y
después, porque la comparten varias personas. Objetivos del proyecto:
``--todos`` ≤ 3 × un periodo; reejecución sin cambios < 1 s.

Uso::

    .venv/bin/python benchmarks/bench_todos.py [--repeticiones 1] [--analisis RUTA/bin/analisis]

``--analisis`` mide otra instalación (p. ej. la de otra rama) con los mismos datos.
Imprime cifras; no es una prueba.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

# El mismo cuaderno de una celda que la unidad de bench_informe.py (la carpeta
# de este script está en sys.path al ejecutarlo).
from bench_informe import cuaderno_minimo
from cpu_por_proceso import medir

RAIZ = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CRUDO = RAIZ / "data" / "raw" / "gt-6pan-2023-2025" / "tableropan_gt_6pan_2023-2025.txt"
# El avance j-ésimo de n cae en el trimestre 8j/n a partir de 2023-T3 (del día 15
# de su primer mes más j mod 60 días): ocho trimestres, de 2023-T3 a 2025-T2.
INICIO = datetime(2023, 7, 15).date()
_FECHA = re.compile(r"^Fecha: (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})$", re.M)


def crudo_de_ocho_trimestres(destino: Path) -> None:
    texto = CRUDO.read_text(encoding="utf-8")
    total = len(_FECHA.findall(texto))
    contador = iter(range(total))

    def mover(m: re.Match) -> str:
        j = next(contador)
        hora = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S").time()
        dia = INICIO + timedelta(days=91 * ((j * 8) // total) + j % 60)
        return f"Fecha: {datetime.combine(dia, hora):%Y-%m-%d %H:%M:%S}"

    destino.write_text(_FECHA.sub(mover, texto), encoding="utf-8")


def _adoptar_huerfanos() -> None:
    """Este proceso adopta a los descendientes que queden huérfanos (``PR_SET_CHILD_SUBREAPER``).

    El servidor de procesos de ``analisis informe`` (el *forkserver* del que
    nacen los procesos de trabajo) termina justo después del proceso principal,
    que no lo espera; sin adoptarlo, su CPU y la de los procesos de trabajo (que
    él sí espera) no entrarían en la de los hijos de este proceso.
    """
    import ctypes

    pr_set_child_subreaper = 36
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0)


def _esperar_huerfanos() -> None:
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def cronometrar(orden: list[str]) -> tuple[float, float]:
    """(segundos de pared, segundos de CPU de los hijos y demás descendientes) de una orden."""
    antes = resource.getrusage(resource.RUSAGE_CHILDREN)
    inicio = time.perf_counter()
    subprocess.run(orden, check=True, cwd=RAIZ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pared = time.perf_counter() - inicio
    _esperar_huerfanos()
    despues = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (despues.ru_utime - antes.ru_utime) + (despues.ru_stime - antes.ru_stime)
    return pared, cpu


def cpu_de_secciones(carpeta: Path) -> tuple[float, float]:
    """CPU de este proceso (s) para el cuerpo HTML saneado y para maquetar con WeasyPrint las secciones de un periodo ya generado.

    Son los mismos pasos que da ``analisis informe`` con cada cuaderno
    ejecutado (sin escribir nada): el cuerpo de su página y de su sección, y la
    maqueta de la sección (``maquetar_seccion``, que también escribe el PDF de
    cada parte en memoria). WeasyPrint ya está cargado y caliente.
    """
    import nbformat
    from analisis.informe.html import fragmento_html, titulo_de
    from analisis.informe.pdf import ancla_de_seccion, cuerpo_de_seccion, maquetar_seccion

    cuerpos = maqueta = 0.0
    for numero, ruta in enumerate(sorted(carpeta.glob("*.ipynb")), 1):
        nb = nbformat.read(ruta, as_version=4)
        inicio = time.process_time()
        titulo = titulo_de(nb, ruta.stem)
        cuerpo = cuerpo_de_seccion(titulo, fragmento_html(nb))
        medio = time.process_time()
        maquetar_seccion(ancla_de_seccion(numero), titulo, cuerpo)
        cuerpos += medio - inicio
        maqueta += time.process_time() - medio
    return cuerpos, maqueta


def presupuesto(un: tuple[float, float], periodos: list[str], por_papel: dict, secciones: list) -> None:
    """Imprime cuánta CPU deja el objetivo ≤ 3 × a cada periodo de más y en qué se va hoy."""
    nucleos = os.cpu_count() or 1
    extra = len(periodos) - 1
    disponible = nucleos * 3 * un[0]
    por_periodo = (disponible - un[1]) / extra
    print(f"Presupuesto para ≤ 3 × con los {nucleos} núcleos siempre ocupados: {nucleos} × 3 × {un[0]:.2f} s = "
          f"{disponible:.1f} s de CPU; un periodo usa {un[1]:.2f} s, quedan {por_periodo:.2f} s de CPU "
          f"para cada uno de los otros {extra} periodos")
    uno, todos = por_papel["uno"][1], por_papel["todos"][1]
    papeles = sorted(set(uno) | set(todos))
    marginal = {k: (todos[k] - uno[k]) / extra for k in papeles}
    print(f"  cada periodo de más cuesta hoy {sum(marginal.values()):.2f} s de CPU: "
          + ", ".join(f"{k} {v:.2f} s" for k, v in marginal.items()) + " (una ejecución de cada orden)")
    cuerpos = [c for c, _ in secciones]
    maquetas = [m for _, m in secciones]
    print(f"  solo maquetar con WeasyPrint las secciones de un periodo, en este proceso: media "
          f"{sum(maquetas) / len(maquetas):.2f} s de CPU (de {min(maquetas):.2f} a {max(maquetas):.2f} s); "
          f"sus cuerpos HTML saneados, {sum(cuerpos) / len(cuerpos):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeticiones", type=int, default=1)
    parser.add_argument("--analisis", default=str(BIN / "analisis"), help="ejecutable de analisis a medir")
    args = parser.parse_args()
    _adoptar_huerfanos()
    analisis = args.analisis

    carga_antes = os.getloadavg()
    mejor: dict[str, tuple[float, float]] = {}

    def anotar(nombre: str, medida: tuple[float, float]) -> None:
        if nombre not in mejor or medida[0] < mejor[nombre][0]:
            mejor[nombre] = medida

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        crudo = tmp / "tablero_ocho_trimestres.txt"
        crudo_de_ocho_trimestres(crudo)
        paquete = tmp / "paquete"
        subprocess.run([str(BIN / "analisis"), "parse", str(crudo), "--out", str(paquete)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sys.path.insert(0, str(RAIZ / "src"))
        from analisis.informe.generar import paquete_de_carpeta, periodos_con_datos

        periodos = periodos_con_datos(paquete_de_carpeta(paquete))
        ultimo = periodos[-1]
        minimo = tmp / "minimo.ipynb"
        cuaderno_minimo(minimo)
        for r in range(args.repeticiones):
            anotar("papermill, cuaderno de una celda", cronometrar(
                [str(BIN / "papermill"), "--no-progress-bar", str(minimo), str(tmp / "minimo_out.ipynb")]))
            uno = [analisis, "informe", "--datos", str(paquete), "--periodo", ultimo, "--salida", str(tmp / f"uno{r}")]
            todos = [analisis, "informe", "--datos", str(paquete), "--todos", "--salida", str(tmp / f"todos{r}")]
            anotar(f"un periodo ({ultimo}), en frío", cronometrar(uno))
            anotar(f"--todos ({len(periodos)} periodos), en frío", cronometrar(todos))
            anotar("un periodo, sin cambios", cronometrar(uno))
            anotar("--todos, sin cambios", cronometrar(todos))
        por_papel = {}
        for nombre in ("uno", "todos"):
            destino = tmp / f"{nombre}_por_papel"
            orden = [analisis, "informe", "--datos", str(paquete),
                     *(["--periodo", ultimo] if nombre == "uno" else ["--todos"]), "--salida", str(destino)]
            por_papel[nombre] = medir(shlex.join(orden))
        # Calienta WeasyPrint (importación, fuentes) fuera de la medida.
        from analisis.informe.pdf import maquetar_seccion

        maquetar_seccion("calentar", "Calentar", "<p>a</p>")
        secciones = [cpu_de_secciones(tmp / "todos0" / periodo) for periodo in periodos]
    carga_despues = os.getloadavg()

    base = mejor["papermill, cuaderno de una celda"][0]
    print(f"analisis: {analisis}")
    print(f"Periodos con datos: {', '.join(periodos)}; mejor de {args.repeticiones} repetición(es)")
    print(f"Carga de la máquina (1, 5, 15 min): antes {carga_antes[0]:.2f} {carga_antes[1]:.2f} {carga_antes[2]:.2f}; "
          f"después {carga_despues[0]:.2f} {carga_despues[1]:.2f} {carga_despues[2]:.2f}; {os.cpu_count()} núcleos")
    for nombre, (pared, cpu) in mejor.items():
        print(f"  {nombre:<36} {pared:7.2f} s de pared  {cpu:7.2f} s de CPU  ({pared / base:5.1f} × papermill mínimo)")
    un = mejor[f"un periodo ({ultimo}), en frío"]
    ocho = mejor[f"--todos ({len(periodos)} periodos), en frío"]
    print(f"--todos / un periodo: {ocho[0] / un[0]:.2f} × de pared, {ocho[1] / un[1]:.2f} × de CPU "
          f"(objetivo ≤ 3 ×: {'cumple' if ocho[0] <= 3 * un[0] else 'no cumple'})")
    presupuesto(un, periodos, por_papel, secciones)
    rapido = max(mejor["un periodo, sin cambios"][0], mejor["--todos, sin cambios"][0])
    print(f"Reejecución sin cambios: {mejor['un periodo, sin cambios'][0]:.2f} s un periodo, "
          f"{mejor['--todos, sin cambios'][0]:.2f} s --todos (objetivo < 1 s: {'cumple' if rapido < 1 else 'no cumple'})")


if __name__ == "__main__":
    main()
