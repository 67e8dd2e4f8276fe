"""Órdenes «analisis valoraciones plantilla|validar» y «analisis metricas --valoraciones»."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

from analisis.cli import main

RAIZ = Path(__file__).parents[2]
PLAN = RAIZ / "tests" / "fixtures" / "metricas" / "plan.txt"
CRUDO = RAIZ / "data" / "raw" / "gt-6pan-2023-2025" / "tableropan_gt_6pan_2023-2025.txt"
VALORACIONES = RAIZ / "tests" / "fixtures" / "valoraciones" / "plan.csv"


@pytest.fixture(scope="module")
def paquete(tmp_path_factory):
    destino = tmp_path_factory.mktemp("paquete")
    assert main(["parse", str(PLAN), "--out", str(destino)]) == 0
    return destino


@pytest.fixture(scope="module")
def paquete_real(tmp_path_factory):
    destino = tmp_path_factory.mktemp("real")
    assert main(["parse", str(CRUDO), "--out", str(destino)]) == 0
    return destino


def _filas(ruta: Path) -> list[dict]:
    with open(ruta, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_plantilla_del_plan_real_tiene_33_filas(paquete_real, tmp_path, capsys):
    salida = tmp_path / "valoraciones.csv"
    assert main(["valoraciones", "plantilla", "--datos", str(paquete_real), "--out", str(salida)]) == 0
    filas = _filas(salida)
    assert len(filas) == 33
    assert [f["id"] for f in filas if f["nivel"] == "compromiso"] == ["1", "2", "3", "4", "5", "6"]
    assert "33 filas (6 compromisos, 27 hitos; completitud sugerida al corte 2025-05-22" in capsys.readouterr().err


def test_plantilla_del_ejemplo(paquete, tmp_path):
    salida = tmp_path / "v.csv"
    assert main(["valoraciones", "plantilla", "--datos", str(paquete), "--out", str(salida), "--periodo", "2025-T1"]) == 0
    assert salida.read_text(encoding="utf-8").splitlines() == [
        "nivel,id,titulo,completitud_sugerida,completitud,potencial,resultados,evidencia_verificada,nota,evaluador,fecha_valoracion",
        "compromiso,1,Datos abiertos,sustancial,,,,,,,",
        "hito,1.1,Publicar conjuntos de datos,completo,,,,,,,",
        "hito,1.2,Capacitar a funcionarios,limitado,,,,,,,",
        "compromiso,2,Mujeres,no_iniciado,,,,,,,",
        "hito,2.1,Ampliar presupuesto,sin_evidencia,,,,,,,",
        "hito,2.2,Hito atrasado,no_iniciado,,,,,,,",
    ]


def test_la_plantilla_recien_escrita_es_valida(paquete, tmp_path):
    salida = tmp_path / "v.csv"
    main(["valoraciones", "plantilla", "--datos", str(paquete), "--out", str(salida)])
    assert main(["valoraciones", "validar", str(salida), "--datos", str(paquete)]) == 0


def test_plantilla_nunca_reemplaza_un_archivo(paquete, tmp_path, capsys):
    salida = tmp_path / "v.csv"
    salida.write_text("valoraciones hechas a mano\n", encoding="utf-8")
    assert main(["valoraciones", "plantilla", "--datos", str(paquete), "--out", str(salida)]) == 2
    assert salida.read_text(encoding="utf-8") == "valoraciones hechas a mano\n"
    assert "ya existe" in capsys.readouterr().err


def test_plantilla_sin_datos_es_un_error(tmp_path, capsys):
    assert main(["valoraciones", "plantilla", "--out", str(tmp_path / "v.csv")]) == 2
    assert "falta --datos" in capsys.readouterr().err
    assert not (tmp_path / "v.csv").exists()


def test_validar_un_archivo_correcto(paquete, capsys):
    assert main(["valoraciones", "validar", str(VALORACIONES), "--datos", str(paquete)]) == 0
    assert "es válido: 5 de 6 filas valoradas (2 compromisos, 3 hitos)" in capsys.readouterr().err


def test_validar_un_archivo_malo_sale_con_2_y_una_linea(paquete, tmp_path, capsys):
    malo = tmp_path / "malo.csv"
    malo.write_text(VALORACIONES.read_text(encoding="utf-8").replace("hito,1.2,Capacitar a funcionarios,limitado,sustancial",
                                                                     "hito,1.2,Capacitar a funcionarios,limitado,casi"), encoding="utf-8")
    assert main(["valoraciones", "validar", str(malo), "--datos", str(paquete)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"analisis: error: {malo}:5: columna «completitud»: valor no admitido "
        "(admitidos: sin_evidencia, no_iniciado, limitado, sustancial, completo): «casi»"
    ]


def test_metricas_con_valoraciones(paquete, tmp_path):
    salida = tmp_path / "met"
    argv = ["metricas", "--datos", str(paquete), "--periodo", "2025-T1", "--valoraciones", str(VALORACIONES), "--out", str(salida)]
    assert main(argv) == 0
    hitos = {f["hito_id"]: f for f in _filas(salida / "metricas_hitos.csv")}
    assert (hitos["1.2"]["nivel_irm"], hitos["1.2"]["completitud_valorada"]) == ("limitado", "sustancial")
    compromisos = {f["compromiso"]: f for f in _filas(salida / "metricas_compromisos.csv")}
    assert (compromisos["1"]["porcentaje_reportado"], compromisos["1"]["avance_calculado"], compromisos["1"]["completitud_valorada"]) == (
        "55", "55", "sustancial"
    )
    tipos = [f["tipo"] for f in _filas(salida / "alertas.csv")]
    assert tipos.count("valoracion_sin_respaldo") == 4
    parametros = json.loads((salida / "parametros.json").read_text(encoding="utf-8"))
    assert parametros["valoraciones"] == {"archivo": "plan.csv", "sha256": hashlib.sha256(VALORACIONES.read_bytes()).hexdigest()}


def test_metricas_con_valoraciones_malas_no_escribe_nada(paquete, tmp_path, capsys):
    malo = tmp_path / "malo.csv"
    malo.write_text(VALORACIONES.read_text(encoding="utf-8").replace("hito,2.1,", "hito,9.9,"), encoding="utf-8")
    salida = tmp_path / "met"
    argv = ["metricas", "--datos", str(paquete), "--periodo", "2025-T1", "--valoraciones", str(malo), "--out", str(salida)]
    assert main(argv) == 2
    assert f"{malo}:7: columna «id»: el hito no existe en el paquete de datos: «9.9»" in capsys.readouterr().err
    assert not salida.exists()


@pytest.mark.parametrize(
    "argumentos, mensaje",
    [
        pytest.param(["--out", ""], "falta --out", id="out-vacio"),
        pytest.param(["--out", "."], "es una carpeta", id="out-carpeta"),
    ],
)
def test_plantilla_out_que_no_sirve(paquete, tmp_path, capsys, monkeypatch, argumentos, mensaje):
    monkeypatch.chdir(tmp_path)
    assert main(["valoraciones", "plantilla", "--datos", str(paquete), *argumentos]) == 2
    assert mensaje in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
