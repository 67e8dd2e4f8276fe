"""De principio a fin: los informes se regeneran byte a byte desde data/raw/.

Se generan todos los periodos con datos dos veces con ``analisis informe
--todos``, cada vez en una carpeta distinta (así la segunda no puede reutilizar
la caché de la primera) y de forma distinta (la primera con dos procesos, la
segunda con uno, desde otra carpeta de trabajo), y se exige:

* las dos generaciones, byte a byte iguales (cuadernos, HTML, PDF, tablas,
  datos e índice);
* lo generado, igual a lo publicado en ``reports/``: cuadernos, HTML, tablas y
  datos. El PDF no se compara con el publicado porque sus bytes dependen de
  bibliotecas del sistema (Pango, HarfBuzz, FreeType) que no fija
  requirements/lock.txt; sí se compara entre las dos generaciones.

Además cada plantilla de ``notebooks/`` se ejecuta tal cual, con sus valores
por defecto, como lo haría quien la abre en JupyterLab, y con otra semilla de
hash de Python.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analisis.evaluacion.evaluacion import Evaluacion
from analisis.informe.parametros import cuadernos_plantilla, leer_parametros

RAIZ = Path(__file__).resolve().parents[2]
REPORTES = RAIZ / "reports"
PLANTILLAS = cuadernos_plantilla(RAIZ / "notebooks")
REGENERAR = "si el cambio es legítimo, regenere con «bash scripts/regenerar_referencias.sh» y revise el diff"


def _generar(salida: Path, cwd: Path, trabajos: int) -> subprocess.CompletedProcess:
    # La orden instalada, como la usa quien genera los informes; sin --fuente:
    # el scrape incluido se encuentra desde cualquier carpeta de trabajo.
    orden = [str(Path(sys.executable).with_name("analisis")), "informe", "--todos", "--salida", str(salida)]
    orden += ["--trabajos", str(trabajos)]
    cwd.mkdir(parents=True, exist_ok=True)
    proceso = subprocess.run(orden, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert proceso.returncode == 0, f"{' '.join(orden)} terminó con {proceso.returncode}:\n{proceso.stderr}"
    return proceso


@pytest.fixture(scope="module")
def generaciones(tmp_path_factory) -> tuple[Path, Path, str]:
    base = tmp_path_factory.mktemp("reproducibilidad")
    primera = base / "primera" / "informes"
    segunda = base / "otra" / "carpeta" / "salida"
    _generar(primera, base / "trabajo-1", trabajos=2)
    proceso = _generar(segunda, base / "trabajo-2", trabajos=1)
    return primera, segunda, proceso.stderr


def _archivos(carpeta: Path) -> dict[str, Path]:
    return {p.relative_to(carpeta).as_posix(): p for p in sorted(carpeta.rglob("*")) if p.is_file()}


def _periodos(carpeta: Path) -> list[str]:
    return sorted(p.name for p in carpeta.iterdir() if p.is_dir())


def _diff(publicado: Path, generado: Path, max_lineas: int = 40) -> str:
    """Las primeras líneas del diff, para ver en el fallo qué cambió (las de SVG son largas: se recortan)."""
    try:
        antes = publicado.read_text(encoding="utf-8").splitlines()
        despues = generado.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        return "(binario)"
    lineas = difflib.unified_diff(antes, despues, "publicado", "regenerado", n=1, lineterm="")
    return "\n".join(linea[:160] for _, linea in zip(range(max_lineas), lineas))


def test_la_segunda_generacion_no_es_un_acierto_de_cache(generaciones):
    primera, segunda, registro = generaciones
    assert "sin cambios" not in registro
    for periodo in _periodos(primera):
        assert f"{periodo}: informe escrito en" in registro


def test_dos_generaciones_identicas_byte_a_byte(generaciones):
    primera, segunda, _ = generaciones
    a, b = _archivos(primera), _archivos(segunda)
    assert set(a) == set(b)
    # Que la comparación no sea vacía: cada periodo trae cuadernos, HTML y PDF.
    assert _periodos(primera)
    for periodo in _periodos(primera):
        for plantilla in PLANTILLAS:
            assert f"{periodo}/{plantilla.name}" in a
            assert f"{periodo}/{plantilla.with_suffix('.html').name}" in a
        assert f"{periodo}/informe_{periodo}.pdf" in a
    distintos = [nombre for nombre in a if a[nombre].read_bytes() != b[nombre].read_bytes()]
    assert not distintos, f"cambian de una generación a otra: {', '.join(distintos)}"


def _publicables(carpeta: Path) -> dict[str, Path]:
    """Lo que se compara con reports/: todo menos el PDF (ver el docstring) y la huella de caché."""
    return {
        nombre: ruta
        for nombre, ruta in _archivos(carpeta).items()
        if ruta.suffix != ".pdf" and ruta.name != ".huella" and "/" in nombre
    }


@pytest.mark.parametrize("tipo", ["cuadernos", "resto"])
def test_lo_generado_es_lo_publicado_en_reports(generaciones, tipo):
    primera, _, _ = generaciones
    generados = {
        nombre: ruta
        for nombre, ruta in _publicables(primera).items()
        if (ruta.suffix == ".ipynb") == (tipo == "cuadernos")
    }
    assert generados
    faltan = sorted(nombre for nombre in generados if not (REPORTES / nombre).is_file())
    assert not faltan, f"no están publicados en reports/: {', '.join(faltan)}; {REGENERAR}"
    distintos = [n for n, ruta in generados.items() if ruta.read_bytes() != (REPORTES / n).read_bytes()]
    if distintos:
        primero = distintos[0]
        pytest.fail(
            f"lo regenerado desde data/raw/ difiere de lo publicado en reports/: {', '.join(distintos)}\n"
            f"{REGENERAR}\n\nreports/{primero}:\n{_diff(REPORTES / primero, generados[primero])}"
        )


# -- las plantillas, tal cual --------------------------------------------------------------


def _salidas_por_celda(nb: dict) -> dict[str, list]:
    """Salidas de cada celda de código por id, sin el número de ejecución.

    El número cambia entre una plantilla ejecutada tal cual y su versión
    publicada, que tiene además la celda de parámetros inyectada.
    """
    salidas = {}
    for celda in nb["cells"]:
        etiquetas = set(celda.get("metadata", {}).get("tags", []))
        if celda["cell_type"] != "code" or etiquetas & {"parameters", "injected-parameters"}:
            continue
        salidas[celda["id"]] = [{k: v for k, v in s.items() if k != "execution_count"} for s in celda["outputs"]]
    return salidas


@pytest.mark.parametrize("plantilla", PLANTILLAS, ids=lambda p: p.name)
def test_plantilla_se_ejecuta_tal_cual_y_coincide_con_lo_publicado(plantilla, monkeypatch):
    import papermill

    # «analisis informe» fija PYTHONHASHSEED=0 en sus núcleos; aquí el núcleo
    # hereda otra semilla. Si una salida dependiera del orden de un set o de un
    # hash de str, la ejecución no coincidiría con la publicada.
    monkeypatch.setenv("PYTHONHASHSEED", "12345")
    # Sin parámetros y desde notebooks/: como al abrirla en JupyterLab.
    nb = papermill.execute_notebook(
        str(plantilla), None, kernel_name="python3", progress_bar=False, log_output=False, cwd=str(plantilla.parent)
    )
    salidas = _salidas_por_celda(nb)
    assert salidas and all(salidas.values()), "alguna celda de código no produjo salida"

    # Los valores por defecto corresponden a un periodo publicado (el último
    # con datos): la ejecución tal cual debe dar exactamente lo publicado.
    defectos = {nombre: p.defecto for nombre, p in leer_parametros(plantilla).items()}
    publicado = REPORTES / str(defectos["periodo"]) / plantilla.name
    assert publicado.is_file(), f"los valores por defecto de {plantilla.name} ({defectos}) no son los de ningún informe publicado"
    referencia = json.loads(publicado.read_text(encoding="utf-8"))
    usados = referencia["metadata"]["papermill"]["parameters"]
    # El informe pasa corte y criterio explícitos y su propia copia del paquete;
    # los valores por defecto deben fijar la misma evaluación.
    assert Evaluacion.desde_textos(defectos["periodo"], defectos["corte"] or None, defectos["criterio"] or None) == (
        Evaluacion.desde_textos(usados["periodo"], usados["corte"], usados["criterio"])
    )
    esperado = _salidas_por_celda(referencia)
    assert list(salidas) == list(esperado)
    distintas = [celda for celda in salidas if salidas[celda] != esperado[celda]]
    assert not distintas, (
        f"{plantilla.name} con PYTHONHASHSEED={os.environ['PYTHONHASHSEED']}: las celdas {', '.join(distintas)} "
        f"no dan lo publicado en {publicado.relative_to(RAIZ)}; {REGENERAR}"
    )
