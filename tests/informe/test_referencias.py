"""Los informes de referencia de reports/ están completos y de verdad ejecutados.

nbval reejecuta cada cuaderno de ``reports/<periodo>/`` y compara sus salidas
con las publicadas, pero solo compara lo que hay: una celda sin ejecutar o sin
salidas pasa siempre. Estas pruebas impiden que un cuaderno vaciado (por
ejemplo, con ``nbstripout`` o «Clear All Outputs» antes de confirmar) o un
periodo incompleto pasen por referencias válidas. Comprueban además que cada
cuaderno publicado es su plantilla de ``notebooks/`` ejecutada: nbval reejecuta
el código *del cuaderno publicado*, así que sin esta comprobación un cambio en
una plantilla sin regenerar las referencias no se notaría aquí.

Si fallan: ``bash scripts/regenerar_referencias.sh`` y revisar el diff.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from analisis.informe.generar import paquete_de_carpeta, periodos_con_datos
from analisis.informe.parametros import cuadernos_plantilla
from analisis.lectura.rutas import PAQUETE_INCLUIDO

RAIZ = Path(__file__).resolve().parents[2]
REPORTES = RAIZ / "reports"
PLANTILLAS = cuadernos_plantilla(RAIZ / "notebooks")
REGENERAR = "regenérelas con «bash scripts/regenerar_referencias.sh» y revise el diff"

#: Celdas que solo asignan parámetros: no producen salidas por diseño.
ETIQUETAS_PARAMETROS = frozenset({"parameters", "injected-parameters"})

# Las carpetas ocultas son temporales de una generación en curso o interrumpida.
PERIODOS_PUBLICADOS = sorted(p.name for p in REPORTES.iterdir() if p.is_dir() and not p.name.startswith("."))
CUADERNOS_PUBLICADOS = sorted(p for periodo in PERIODOS_PUBLICADOS for p in (REPORTES / periodo).glob("*.ipynb"))


def _leer(ruta: Path) -> dict:
    return json.loads(ruta.read_text(encoding="utf-8"))


def _etiquetas(celda: dict) -> set[str]:
    return set(celda.get("metadata", {}).get("tags", []))


def problemas_de_ejecucion(nb: dict) -> list[str]:
    """Por qué nbval no compararía de verdad este cuaderno; lista vacía si nada lo impide."""
    codigo = [c for c in nb["cells"] if c["cell_type"] == "code"]
    if not codigo:
        return ["no tiene celdas de código"]
    problemas = []
    for posicion, celda in enumerate(codigo, start=1):
        nombre = f"celda de código {posicion} (id {celda.get('id', '?')})"
        if celda.get("execution_count") is None:
            # nbval no compara las salidas de una celda cuya referencia no se ejecutó.
            problemas.append(f"{nombre}: sin ejecutar")
        elif not celda.get("outputs") and not _etiquetas(celda) & ETIQUETAS_PARAMETROS:
            problemas.append(f"{nombre}: sin salidas, nbval no tendría nada que comparar")
        for salida in celda.get("outputs", []):
            if salida.get("output_type") == "error":
                problemas.append(f"{nombre}: terminó con error {salida.get('ename')}: {salida.get('evalue')}")
    cuentas = [c.get("execution_count") for c in codigo]
    if None not in cuentas and cuentas != list(range(1, len(codigo) + 1)):
        # Un núcleo nuevo que ejecuta de arriba abajo numera 1, 2, 3…; otra cosa
        # es una ejecución a mano, fuera de orden o parcial, cuyas salidas
        # pueden no corresponder al código que hay escrito.
        problemas.append(f"no se ejecutó de principio a fin en un núcleo nuevo (execution_count {cuentas})")
    return problemas


# -- la comprobación misma detecta lo que debe ---------------------------------------


@pytest.fixture(scope="module")
def referencia_valida() -> dict:
    if not CUADERNOS_PUBLICADOS:
        pytest.fail(f"no hay cuadernos publicados en {REPORTES}; {REGENERAR}")
    return _leer(CUADERNOS_PUBLICADOS[0])


def test_una_referencia_publicada_no_tiene_problemas(referencia_valida):
    assert problemas_de_ejecucion(referencia_valida) == []


def test_detecta_una_plantilla_sin_ejecutar():
    problemas = problemas_de_ejecucion(_leer(PLANTILLAS[0]))
    assert problemas and all("sin ejecutar" in p for p in problemas)


def test_detecta_salidas_borradas(referencia_valida):
    nb = copy.deepcopy(referencia_valida)
    con_salidas = [c for c in nb["cells"] if c["cell_type"] == "code" and c["outputs"]]
    assert con_salidas
    con_salidas[-1]["outputs"] = []
    problemas = problemas_de_ejecucion(nb)
    assert len(problemas) == 1
    assert con_salidas[-1]["id"] in problemas[0] and "sin salidas" in problemas[0]


def test_detecta_todas_las_salidas_borradas_como_nbstripout(referencia_valida):
    nb = copy.deepcopy(referencia_valida)
    for celda in nb["cells"]:
        if celda["cell_type"] == "code":
            celda["outputs"] = []
            celda["execution_count"] = None
    assert len(problemas_de_ejecucion(nb)) == sum(c["cell_type"] == "code" for c in nb["cells"])


def test_detecta_un_error_y_una_ejecucion_fuera_de_orden(referencia_valida):
    nb = copy.deepcopy(referencia_valida)
    codigo = [c for c in nb["cells"] if c["cell_type"] == "code"]
    codigo[-1]["outputs"].append({"output_type": "error", "ename": "KeyError", "evalue": "'x'", "traceback": []})
    codigo[0]["execution_count"] = 7
    problemas = problemas_de_ejecucion(nb)
    assert any("KeyError" in p for p in problemas)
    assert any("núcleo nuevo" in p for p in problemas)


# -- las referencias publicadas ------------------------------------------------------


def test_hay_referencia_de_cada_periodo_con_datos():
    periodos = periodos_con_datos(paquete_de_carpeta(PAQUETE_INCLUIDO))
    # Los dos trimestres con avances en el scrape incluido; si los datos
    # crecen, la lista crece con ellos.
    assert {"2025-T1", "2025-T2"} <= set(periodos)
    faltan = [p for p in periodos if p not in PERIODOS_PUBLICADOS]
    assert not faltan, f"faltan los informes de referencia de {', '.join(faltan)} en reports/; {REGENERAR}"


@pytest.mark.parametrize("periodo", PERIODOS_PUBLICADOS)
def test_periodo_publicado_completo(periodo):
    carpeta = REPORTES / periodo
    esperados = [carpeta / p.name for p in PLANTILLAS] + [carpeta / p.with_suffix(".html").name for p in PLANTILLAS]
    faltan = [p.name for p in esperados if not p.is_file() or p.stat().st_size == 0]
    assert not faltan, f"reports/{periodo}: faltan {', '.join(faltan)}; {REGENERAR}"
    # Un cuaderno publicado sin plantilla (renombrada o eliminada) se seguiría
    # reejecutando con nbval como si fuera parte del informe.
    sobran = sorted({p.name for p in carpeta.glob("*.ipynb")} - {p.name for p in PLANTILLAS})
    assert not sobran, f"reports/{periodo}: cuadernos sin plantilla en notebooks/: {', '.join(sobran)}; {REGENERAR}"
    pdf = carpeta / f"informe_{periodo}.pdf"
    assert pdf.is_file(), f"reports/{periodo}: falta {pdf.name}; {REGENERAR}"
    contenido = pdf.read_bytes()
    assert contenido.startswith(b"%PDF-") and contenido.rstrip().endswith(b"%%EOF"), f"{pdf} no es un PDF completo"


@pytest.mark.parametrize("cuaderno", CUADERNOS_PUBLICADOS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_cuaderno_publicado_ejecutado_con_salidas(cuaderno):
    problemas = problemas_de_ejecucion(_leer(cuaderno))
    assert not problemas, f"{cuaderno.relative_to(RAIZ)}:\n  " + "\n  ".join(problemas) + f"\n{REGENERAR}"


def _celdas_de_plantilla(nb: dict) -> list[tuple[str, str, str]]:
    return [
        (c["cell_type"], c.get("id", ""), "".join(c["source"]))
        for c in nb["cells"]
        if "injected-parameters" not in _etiquetas(c)
    ]


@pytest.mark.parametrize("cuaderno", CUADERNOS_PUBLICADOS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_cuaderno_publicado_es_su_plantilla_ejecutada(cuaderno):
    plantilla = RAIZ / "notebooks" / cuaderno.name
    publicado = _leer(cuaderno)
    assert _celdas_de_plantilla(publicado) == _celdas_de_plantilla(_leer(plantilla)), (
        f"{cuaderno.relative_to(RAIZ)} no corresponde a la versión actual de notebooks/{cuaderno.name}; {REGENERAR}"
    )
    parametros = publicado["metadata"].get("papermill", {}).get("parameters", {})
    assert parametros.get("periodo") == cuaderno.parent.name, (
        f"{cuaderno.relative_to(RAIZ)} se ejecutó para el periodo {parametros.get('periodo')!r}"
    )


def test_indice_enlaza_cada_periodo_publicado():
    indice = REPORTES / "index.html"
    assert indice.is_file(), f"falta reports/index.html; {REGENERAR}"
    enlaces = set(re.findall(r'href="([^"]+)"', indice.read_text(encoding="utf-8")))
    for periodo in PERIODOS_PUBLICADOS:
        esperados = {f"{periodo}/informe_{periodo}.pdf"} | {f"{periodo}/{p.with_suffix('.html').name}" for p in PLANTILLAS}
        faltan = sorted(esperados - enlaces)
        assert not faltan, f"reports/index.html no enlaza {', '.join(faltan)}; {REGENERAR}"
