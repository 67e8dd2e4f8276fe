"""El contexto de los cuadernos (analisis.informe.contexto): solo el paquete de datos, leído y evaluado una vez."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analisis.cli import main
from analisis.informe import contexto

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINI = FIXTURES / "tablero" / "mini.txt"
NOTEBOOKS = Path(__file__).parents[2] / "notebooks"


@pytest.fixture(scope="module")
def paquete_mini(tmp_path_factory) -> Path:
    carpeta = tmp_path_factory.mktemp("mini") / "paquete"
    assert main(["parse", str(MINI), "--out", str(carpeta)]) == 0
    return carpeta


def test_lee_el_paquete_indicado(paquete_mini):
    ctx = contexto.preparar("2024-T1", "", str(paquete_mini), "")
    # mini.txt tiene dos compromisos; su primer título ocupa dos líneas.
    assert ctx.tablas.compromisos["titulo"].tolist()[0] == "Datos abiertos\npara todos"
    assert (ctx.criterio, ctx.corte.isoformat()) == ("ultimo", "2024-03-31")
    assert ctx.fuente == "mini.txt"


def test_un_nucleo_lee_y_evalua_una_sola_vez(paquete_mini):
    a = contexto.preparar("2024-T1", "", str(paquete_mini), "")
    b = contexto.preparar("2024-T1", "", str(paquete_mini), "")
    assert a.tablas is b.tablas
    assert a.metricas is b.metricas
    assert a.metricas_anteriores is not a.metricas


def test_un_paquete_cambiado_no_se_confunde_con_el_anterior(paquete_mini, tmp_path):
    copia = tmp_path / "paquete"
    copia.mkdir()
    for archivo in paquete_mini.iterdir():
        if not archivo.name.startswith("."):
            (copia / archivo.name).write_bytes(archivo.read_bytes())
    antes = contexto.preparar("2024-T1", "", str(copia), "")
    descriptor = json.loads((copia / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["title"] = "otro"
    (copia / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    despues = contexto.preparar("2024-T1", "", str(copia), "")
    assert despues.clave != antes.clave


def _copiar(paquete: Path, destino: Path) -> Path:
    destino.mkdir()
    for archivo in paquete.iterdir():
        if not archivo.name.startswith("."):
            (destino / archivo.name).write_bytes(archivo.read_bytes())
    return destino


def test_copias_identicas_en_otras_carpetas_se_leen_una_vez(paquete_mini, tmp_path):
    # informe --todos copia el paquete en la carpeta de cada periodo.
    a = contexto.preparar("2024-T1", "", str(_copiar(paquete_mini, tmp_path / "2024-T1")), "")
    b = contexto.preparar("2024-T2", "", str(_copiar(paquete_mini, tmp_path / "2024-T2")), "")
    assert b.tablas is a.tablas
    # La evaluación de 2024-T1 es la del periodo anterior de 2024-T2.
    assert b.metricas_anteriores is a.metricas


def test_una_tabla_editada_con_el_mismo_descriptor_no_se_confunde(paquete_mini, tmp_path):
    antes = contexto.preparar("2024-T1", "", str(_copiar(paquete_mini, tmp_path / "a")), "")
    copia = _copiar(paquete_mini, tmp_path / "b")
    actores = copia / "actores.csv"
    actores.write_bytes(actores.read_bytes() + b"\n")
    assert contexto._huella_paquete(copia) != antes.clave


def test_sin_paquete_es_un_error_claro(tmp_path):
    from analisis.errores import ErrorParametro

    with pytest.raises(ErrorParametro, match="no hay un paquete de datos"):
        contexto.preparar("2025-T1", "", str(tmp_path), "")


def test_un_cuaderno_con_papermill_muestra_los_compromisos_de_otro_paquete(paquete_mini, tmp_path):
    import papermill

    nb = papermill.execute_notebook(
        str(NOTEBOOKS / "03_avance_compromisos.ipynb"), None, parameters={"periodo": "2024-T1", "datos": str(paquete_mini)},
        kernel_name="python3", progress_bar=False, log_output=False, cwd=str(tmp_path),
    )
    texto = json.dumps(nb["cells"], ensure_ascii=False)
    assert "mini.txt" in texto
    # El plan incluido tiene 6 compromisos y 27 hitos; mini.txt, 2 compromisos y 3 hitos (1.1, 1.2, 2.1).
    assert ">2.1<" in texto and ">6.1<" not in texto


def test_el_crudo_se_abre_a_lo_sumo_dos_veces_en_todo_el_informe(tmp_path):
    # Un gancho de auditoría en cada proceso de Python (principal, procesos de
    # trabajo y núcleos, que heredan PYTHONPATH) anota cada apertura del crudo.
    crudo = tmp_path / "captura.txt"
    crudo.write_bytes(MINI.read_bytes())
    registro = tmp_path / "aperturas.log"
    gancho = tmp_path / "gancho"
    gancho.mkdir()
    (gancho / "sitecustomize.py").write_text(
        textwrap.dedent(
            f"""
            import os, sys
            def _anotar(evento, args):
                if evento == "open" and args and str(args[0]) == {str(crudo)!r}:
                    with open({str(registro)!r}, "a") as r:
                        r.write(str(os.getpid()) + "\\n")
            sys.addaudithook(_anotar)
            """
        ),
        encoding="utf-8",
    )
    import os

    entorno = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(gancho), os.environ.get("PYTHONPATH")]))}
    orden = [str(Path(sys.executable).with_name("analisis")), "informe", "--periodo", "2024-T1", "--fuente", str(crudo), "--salida", str(tmp_path / "informes")]
    proceso = subprocess.run(orden, env=entorno, capture_output=True, text=True, timeout=600)
    assert proceso.returncode == 0, proceso.stderr
    aperturas = registro.read_text().split() if registro.exists() else []
    assert 1 <= len(aperturas) <= 2, aperturas


def test_un_nucleo_con_varios_periodos_no_sirve_la_evaluacion_de_otro(paquete_mini):
    # Un núcleo de «--todos» ejecuta cuadernos de 2024-T1 y luego de 2024-T2: el
    # paquete se lee una vez, pero cada periodo tiene su evaluación, la misma
    # que calcular() daría aparte; la del periodo anterior de T2 es la de T1.
    from analisis.evaluacion.calculo import calcular
    from analisis.evaluacion.evaluacion import Evaluacion

    t1 = contexto.preparar("2024-T1", "", str(paquete_mini), "")
    t2 = contexto.preparar("2024-T2", "", str(paquete_mini), "")
    assert t2.tablas is t1.tablas
    assert t2.metricas is not t1.metricas
    esperadas = calcular(t1.tablas, Evaluacion.desde_textos("2024-T2"))
    for nombre, tabla in esperadas.items():
        assert t2.metricas[nombre].equals(tabla), nombre
    assert t2.metricas_anteriores is t1.metricas
    assert not t2.metricas["metricas_hitos"].equals(t1.metricas["metricas_hitos"])


def _evaluacion(periodo: str):
    from analisis.evaluacion.evaluacion import Evaluacion

    return Evaluacion.desde_textos(periodo)


def test_una_evaluacion_compartida_la_calcula_un_solo_proceso(paquete_mini, tmp_path, monkeypatch):
    # El principal la calcula y la deja; un núcleo de la misma ejecución la lee
    # tal cual, sin volver a calcular.
    clave, tablas = contexto.tablas_de(paquete_mini)
    primera = contexto.evaluacion_compartida(tmp_path, tablas, clave, _evaluacion("2024-T1"))
    assert len(list(tmp_path.glob("*.pickle"))) == 1

    def prohibido(*args, **kwargs):
        raise AssertionError("se volvió a calcular una evaluación ya compartida")

    monkeypatch.setattr(contexto, "calcular", prohibido)
    leida = contexto.evaluacion_compartida(tmp_path, tablas, clave, _evaluacion("2024-T1"))
    assert leida.keys() == primera.keys()
    for nombre, tabla in primera.items():
        pd.testing.assert_frame_equal(leida[nombre], tabla, check_exact=True)


@pytest.mark.parametrize(
    "otra",
    [
        pytest.param(lambda clave, ev: ("0" * 64, ev), id="otro-paquete"),
        pytest.param(lambda clave, ev: (clave, _evaluacion("2024-T2")), id="otro-periodo"),
        pytest.param(lambda clave, ev: (clave, replace(ev, criterio="maximo")), id="otro-criterio"),
    ],
)
def test_otra_evaluacion_no_toma_la_compartida(paquete_mini, tmp_path, otra):
    clave, tablas = contexto.tablas_de(paquete_mini)
    ev = _evaluacion("2024-T1")
    contexto.evaluacion_compartida(tmp_path, tablas, clave, ev)
    otra_clave, otra_ev = otra(clave, ev)
    contexto.evaluacion_compartida(tmp_path, tablas, otra_clave, otra_ev)
    assert len(list(tmp_path.glob("*.pickle"))) == 2


def test_un_nucleo_usa_la_carpeta_compartida_de_su_ejecucion(paquete_mini, tmp_path, monkeypatch):
    # Es la variable de entorno que analisis informe pone a sus núcleos.
    monkeypatch.setattr(contexto, "_EVALUACIONES", {})
    monkeypatch.setenv(contexto.VARIABLE_COMPARTIDAS, str(tmp_path))
    ctx = contexto.preparar("2024-T1", "", str(paquete_mini), "")
    ctx.metricas
    assert len(list(tmp_path.glob("*.pickle"))) == 1


def test_sin_la_variable_no_se_escribe_nada_fuera_del_nucleo(paquete_mini, tmp_path, monkeypatch):
    # JupyterLab o nbval: la evaluación queda solo en el núcleo.
    monkeypatch.setattr(contexto, "_EVALUACIONES", {})
    monkeypatch.delenv(contexto.VARIABLE_COMPARTIDAS, raising=False)
    monkeypatch.chdir(tmp_path)
    contexto.preparar("2024-T1", "", str(paquete_mini), "").metricas
    assert list(tmp_path.iterdir()) == []
