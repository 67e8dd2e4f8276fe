"""Pruebas de la orden «analisis metricas» (analisis.cli.metricas).

Se parte de ``tests/fixtures/metricas/plan.txt`` convertido con «analisis
parse»; sus cifras al 31/03/2025 están calculadas a mano en
tests/test_metricas.py.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from analisis.cli import main
from analisis.cli.metricas import agregar_subcomando
from analisis.errores import ErrorParametro
from analisis.evaluacion.metricas import ARCHIVOS

PLAN = Path(__file__).parents[1] / "fixtures" / "metricas" / "plan.txt"


@pytest.fixture(scope="module")
def paquete(tmp_path_factory):
    destino = tmp_path_factory.mktemp("paquete")
    assert main(["parse", str(PLAN), "--out", str(destino)]) == 0
    return destino


def _lineas(ruta: Path) -> list[str]:
    return ruta.read_text(encoding="utf-8").splitlines()


def test_periodo_escribe_todas_las_tablas(paquete, tmp_path, capsys):
    salida = tmp_path / "met"
    assert main(["metricas", "--datos", str(paquete), "--periodo", "2025-T1", "--out", str(salida)]) == 0
    assert sorted(p.name for p in salida.iterdir() if not p.name.startswith(".")) == sorted([f"{n}.csv" for n in ARCHIVOS] + ["parametros.json"])
    mensaje = capsys.readouterr().err
    assert "métricas al corte 2025-03-31 (periodo 2025-T1), criterio «último»: 4 hitos, 2 compromisos, 6 alertas" in mensaje


def test_periodo_cifras_de_compromisos(paquete, tmp_path):
    salida = tmp_path / "met"
    main(["metricas", "--datos", str(paquete), "--periodo", "2025-T1", "--out", str(salida)])
    # Compromiso 1: (100 + 10) / 2 = 55 = reportado; 5 avances, todos del trimestre; evidencia 2/5.
    # Compromiso 2: 0 frente a 10 reportado; 2.2 vencido; su único avance (15/01) es del trimestre.
    assert _lineas(salida / "metricas_compromisos.csv") == [
        "compromiso,hitos,hitos_no_iniciados,hitos_en_progreso,hitos_completados,avance_calculado,nivel_irm,"
        "porcentaje_reportado,captura_reportado,diferencia,hitos_vencidos,avances,avances_periodo,avances_con_evidencia,"
        "cobertura_evidencia,ultima_actualizacion",
        # Captura 1: la única, un archivo sin ficha (fecha desconocida, se usa como siempre).
        "1,2,0,1,1,55,sustancial,55,1,0,0,5,5,2,0.4,2025-03-31 23:59:00",
        "2,2,2,0,0,0,no iniciado,10,1,10,1,1,1,0,0,2025-01-15 12:00:00",
    ]


def test_parametros_registran_corte_periodo_y_fuente(paquete, tmp_path):
    salida = tmp_path / "met"
    main(["metricas", "--datos", str(paquete), "--periodo", "2025-02", "--criterio", "SUMA", "--out", str(salida)])
    parametros = json.loads((salida / "parametros.json").read_text(encoding="utf-8"))
    assert (parametros["corte"], parametros["periodo"], parametros["inicio_periodo"], parametros["criterio"]) == (
        "2025-02-28",
        "2025-02",
        "2025-02-01",
        "suma",
    )
    assert parametros["fuente"]["path"] == "plan.txt" and len(parametros["fuente"]["sha256"]) == 64


def test_corte_sin_periodo_cuenta_todo_hasta_el_corte(paquete, tmp_path):
    salida = tmp_path / "met"
    assert main(["metricas", "--datos", str(paquete), "--corte", "2025-02-28", "--out", str(salida)]) == 0
    filas = _lineas(salida / "metricas_hitos.csv")
    cabecera = filas[0].split(",")
    h11 = dict(zip(cabecera, filas[1].split(",")))
    # Al 28/02: 1.1.1 (20 %) y 1.1.2 (60 %); sin periodo, avances_periodo = avances.
    assert (h11["hito_id"], h11["avances"], h11["avances_periodo"], h11["avance"]) == ("1.1", "2", "2", "60")
    parametros = json.loads((salida / "parametros.json").read_text(encoding="utf-8"))
    assert (parametros["periodo"], parametros["inicio_periodo"]) == (None, None)


def test_bytes_identicos_en_dos_ejecuciones(paquete, tmp_path):
    for nombre in ("a", "b"):
        main(["metricas", "--datos", str(paquete), "--corte", "2025-04-30", "--out", str(tmp_path / nombre)])
    for archivo in sorted((tmp_path / "a").iterdir()):
        assert archivo.read_bytes() == (tmp_path / "b" / archivo.name).read_bytes(), archivo.name


def test_reescribe_una_salida_existente(paquete, tmp_path):
    salida = tmp_path / "met"
    main(["metricas", "--datos", str(paquete), "--corte", "2025-03-30", "--out", str(salida)])
    main(["metricas", "--datos", str(paquete), "--corte", "2025-03-31", "--out", str(salida)])
    assert json.loads((salida / "parametros.json").read_text(encoding="utf-8"))["corte"] == "2025-03-31"


@pytest.mark.parametrize(
    ("argumentos", "mensaje"),
    [
        (["--corte", "2025-03-31", "--periodo", "2025-T1"], "indique --corte o --periodo, no ambos"),
        ([], "falta --corte AAAA-MM-DD o --periodo"),
        (["--periodo", "2025-T5"], "periodo no válido: «2025-T5»: el trimestre va de T1 a T4"),
        (["--corte", "31/03/2025"], "fecha de corte no válida: «31/03/2025»"),
        (["--corte", "2025-02-30"], "no existe en el calendario"),
        (["--corte", "2025-03-31", "--criterio", "media"], "criterio no válido: «media»"),
        # El hito que antes empieza en el plan de prueba es del 01/06/2024; sus avances son de 2025.
        (["--periodo", "2024-T1"], "la fecha de corte 2024-03-31 (periodo 2024-T1) es anterior al inicio del plan (2024-06-01"),
    ],
    ids=["corte-y-periodo", "sin-corte-ni-periodo", "periodo-mal-formado", "corte-dia-primero", "corte-imposible", "criterio",
         "periodo-anterior-al-plan"],
)
def test_parametros_invalidos(paquete, tmp_path, capsys, argumentos, mensaje):
    salida = tmp_path / "met"
    assert main(["metricas", "--datos", str(paquete), *argumentos, "--out", str(salida)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("analisis: error: ") and mensaje in error
    assert "Traceback" not in error
    # Se valida antes de escribir: no queda ni la carpeta.
    assert not salida.exists()


def test_falta_datos(tmp_path, capsys):
    assert main(["metricas", "--corte", "2025-03-31", "--out", str(tmp_path / "met")]) == 2
    assert "falta --datos DIR" in capsys.readouterr().err


def test_falta_out(paquete, capsys):
    assert main(["metricas", "--datos", str(paquete), "--corte", "2025-03-31"]) == 2
    assert "falta --out DIR" in capsys.readouterr().err


def test_datos_que_no_son_un_paquete(tmp_path, capsys):
    salida = tmp_path / "met"
    assert main(["metricas", "--datos", str(tmp_path), "--corte", "2025-03-31", "--out", str(salida)]) == 2
    assert "no es un paquete de datos" in capsys.readouterr().err
    assert not salida.exists()


def test_out_es_un_archivo(paquete, tmp_path, capsys):
    archivo = tmp_path / "ocupado.txt"
    archivo.write_text("x", encoding="utf-8")
    assert main(["metricas", "--datos", str(paquete), "--corte", "2025-03-31", "--out", str(archivo)]) == 2
    assert "existe y no es una carpeta" in capsys.readouterr().err
    assert archivo.read_text(encoding="utf-8") == "x"


def test_ayuda_en_espanol(capsys):
    with pytest.raises(SystemExit) as salida:
        main(["metricas", "--help"])
    assert salida.value.code == 0
    ayuda = " ".join(capsys.readouterr().out.split())  # argparse parte las líneas a su ancho
    assert "--periodo P" in ayuda and "ultimo, maximo, suma" in ayuda and "final de ese día" in ayuda


def test_subcomando_se_registra_en_otro_analizador():
    parser = argparse.ArgumentParser()
    agregar_subcomando(parser.add_subparsers(dest="orden"))
    args = parser.parse_args(["metricas", "--datos", "d", "--periodo", "2025", "--out", "o"])
    assert (args.orden, args.periodo, args.criterio, str(args.datos)) == ("metricas", "2025", None, "d")
    assert callable(args.funcion)
