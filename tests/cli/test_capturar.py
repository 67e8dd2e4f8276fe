"""Pruebas de «analisis capturar»: añade capturas, nunca reescribe."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analisis.cli import main

MINI = Path(__file__).parents[1] / "fixtures" / "tablero" / "mini.txt"
FECHA = "2025-06-01T10:00:00-06:00"


@pytest.fixture
def raiz(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALISIS_RAIZ", str(tmp_path))
    return tmp_path


def _capturar(archivo, fecha=FECHA, *extra):
    return main(["capturar", str(archivo), "--plan", "plan-x", "--fecha", fecha, *extra])


def test_guarda_los_mismos_bytes_con_su_ficha(raiz, capsys):
    assert _capturar(MINI, FECHA, "--fuente", "https://tablero.example/pan") == 0
    destino = raiz / "data" / "raw" / "plan-x" / "captura_2025-06-01T100000-0600.txt"
    assert destino.read_bytes() == MINI.read_bytes()
    ficha = json.loads(Path(f"{destino}.procedencia.json").read_text(encoding="utf-8"))
    assert ficha["fuente"] == "https://tablero.example/pan"
    assert ficha["fecha_captura"] == FECHA
    import hashlib

    assert ficha["sha256"] == hashlib.sha256(MINI.read_bytes()).hexdigest()
    assert "guardada en" in capsys.readouterr().err


def test_misma_fecha_y_contenido_ya_existe_sin_tocar_nada(raiz, capsys):
    assert _capturar(MINI) == 0
    carpeta = raiz / "data" / "raw" / "plan-x"
    antes = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in carpeta.iterdir()}
    capsys.readouterr()
    assert _capturar(MINI) == 0
    assert "ya existe" in capsys.readouterr().err
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in carpeta.iterdir()} == antes


def test_otro_contenido_con_la_misma_fecha_es_error(raiz, tmp_path, capsys):
    assert _capturar(MINI) == 0
    otro = tmp_path / "otro.txt"
    otro.write_text(MINI.read_text(encoding="utf-8").replace("12.5%", "13%"), encoding="utf-8")
    capsys.readouterr()
    assert _capturar(otro) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "ya hay otra captura con la fecha 2025-06-01T10:00:00-06:00" in err[0]
    assert len(list((raiz / "data" / "raw" / "plan-x").iterdir())) == 2


def test_la_misma_fecha_en_otra_zona_es_la_misma_captura(raiz, tmp_path, capsys):
    """16:00 UTC y 10:00 en -06:00 son el mismo instante: no caben dos capturas distintas."""
    assert _capturar(MINI) == 0
    otro = tmp_path / "otro.txt"
    otro.write_text(MINI.read_text(encoding="utf-8").replace("12.5%", "13%"), encoding="utf-8")
    assert _capturar(otro, "2025-06-01T16:00:00+00:00") == 2


def test_mismo_contenido_otra_fecha_es_captura_nueva(raiz):
    assert _capturar(MINI) == 0
    assert _capturar(MINI, "2025-07-01T10:00:00-06:00") == 0
    assert len(list((raiz / "data" / "raw" / "plan-x").glob("*.txt"))) == 2


@pytest.mark.parametrize(
    "argumentos,mensaje",
    [
        (["--plan", "plan-x", "--fecha", "2025-06-01"], "debe llevar la hora"),
        (["--plan", "plan-x", "--fecha", "2025-06-01T10:00:00"], "debe llevar la zona horaria"),
        (["--plan", "../fuera", "--fecha", FECHA], "--plan «../fuera» no es válido"),
        (["--plan", "plan-x"], "falta --fecha"),
        (["--fecha", FECHA], "falta --plan"),
        # mini.txt tiene un avance registrado el 2024-02-01 09:30:00 (hora de reloj del tablero).
        (["--plan", "plan-x", "--fecha", "2024-02-01T09:29:59-06:00"], "es anterior al avance más reciente de la captura, registrado el 2024-02-01 09:30:00"),
        (["--plan", "plan-x", "--fecha", "2999-01-01T00:00:00+00:00"], "es posterior a este momento"),
    ],
    ids=["sin-hora", "sin-zona", "plan-con-ruta", "sin-fecha", "sin-plan", "anterior-a-sus-datos", "futura"],
)
def test_parametros_invalidos_salen_con_2_sin_escribir(raiz, capsys, argumentos, mensaje):
    assert main(["capturar", str(MINI), *argumentos]) == 2
    assert mensaje in capsys.readouterr().err
    assert not (raiz / "data").exists()


def test_captura_en_el_mismo_segundo_que_su_ultimo_avance_es_valida(raiz):
    assert _capturar(MINI, "2024-02-01T09:30:00-06:00") == 0


def test_texto_ilegible_no_se_archiva(raiz, tmp_path, capsys):
    malo = tmp_path / "malo.txt"
    malo.write_bytes(b"COMPROMISO 1:\nT\nPORCENTAJE DE AVANCE:\nmitad\n")
    assert _capturar(malo) == 2
    assert "malo.txt:4: el porcentaje no es un número" in capsys.readouterr().err
    assert not (raiz / "data").exists()
