"""Pruebas de las capturas fechadas y sus fichas de procedencia."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from analisis.errores import ErrorEntrada
from analisis.lectura.capturas import archivos_de, leer_captura, ordenar

RAIZ = Path(__file__).parents[2]
PLAN = RAIZ / "data" / "raw" / "gt-6pan-2023-2025"
CRUDO = PLAN / "tableropan_gt_6pan_2023-2025.txt"
MINI = Path(__file__).parents[1] / "fixtures" / "tablero" / "mini.txt"


def _captura(carpeta: Path, nombre: str, ficha: dict | None, texto: bytes | None = None) -> Path:
    ruta = carpeta / nombre
    ruta.write_bytes(texto if texto is not None else MINI.read_bytes())
    if ficha is not None:
        (carpeta / f"{nombre}.procedencia.json").write_text(json.dumps(ficha), encoding="utf-8")
    return ruta


def test_captura_incluida_fecha_desconocida_posterior_a_su_ultimo_registro():
    c = leer_captura(CRUDO, exigir_procedencia=True)
    assert c.fecha is None
    assert c.fecha_minima == datetime(2025, 5, 22, 17, 33, 50)
    assert c.sha256 == "f2a222b1de0b2c3a7b3cc55846b74d3fc0f4f9bcf9959bf95e43d1291baea884"
    assert c.fecha_texto() == "desconocida (posterior a 2025-05-22 17:33:50)"


@pytest.mark.parametrize(
    "corte,esperado",
    [(date(2025, 3, 31), False), (date(2025, 5, 22), None), (date(2025, 6, 30), None)],
    ids=["antes-del-minimo", "dia-del-minimo", "despues"],
)
def test_captura_de_fecha_desconocida_solo_se_sabe_posterior_a_su_minimo(corte, esperado):
    assert leer_captura(CRUDO).tomada_hasta(corte) is esperado


def test_la_hora_de_reloj_de_su_zona_decide_el_dia(tmp_path):
    """23:30 en Guatemala (-06:00) es el día siguiente en UTC; cuenta el día local."""
    ruta = _captura(tmp_path, "a.txt", {"fuente": "https://x", "fecha_captura": "2025-03-31T23:30:00-06:00"})
    c = leer_captura(ruta)
    assert c.tomada_hasta(date(2025, 3, 31)) is True
    assert c.fecha.utcoffset() == timedelta(hours=-6)


def test_sin_ficha_un_solo_archivo_tiene_fecha_desconocida():
    c = leer_captura(MINI)
    assert (c.fecha, c.fecha_minima, c.fuente) == (None, None, None)
    assert c.tomada_hasta(date(2020, 1, 1)) is None


@pytest.mark.parametrize(
    "ficha,motivo",
    [
        (None, "falta la ficha de procedencia a.txt.procedencia.json"),
        ({"fuente": "https://x"}, "falta «fecha_captura»"),
        ({"fecha_captura": "2025-06-01"}, "fecha_captura debe llevar la hora"),
        ({"fecha_captura": "2025-06-01T10:00:00"}, "fecha_captura debe llevar la zona horaria"),
        ({"fecha_captura": "1 de junio"}, "fecha_captura no es una fecha y hora ISO 8601"),
        ({"fecha_captura": "2025-02-30T10:00:00-06:00"}, "fecha_captura no es una fecha y hora ISO 8601"),
        ({"fecha_captura": None}, "fecha de captura desconocida sin «fecha_captura_minima»"),
        ({"fecha_captura": "2025-06-01T10:00:00-06:00", "sha256": "0" * 64}, "el sha256 de la ficha no coincide"),
    ],
    ids=["sin-ficha", "sin-fecha", "solo-dia", "sin-zona", "texto", "dia-imposible", "nula-sin-minima", "sha256"],
)
def test_en_una_serie_la_ficha_es_obligatoria_y_valida(tmp_path, ficha, motivo):
    ruta = _captura(tmp_path, "a.txt", ficha)
    with pytest.raises(ErrorEntrada) as error:
        leer_captura(ruta, exigir_procedencia=True)
    assert motivo in str(error.value)
    assert "a.txt" in str(error.value)  # nombra el archivo (o su ficha)


def test_ficha_con_sha256_correcto_se_acepta(tmp_path):
    import hashlib

    sha = hashlib.sha256(MINI.read_bytes()).hexdigest()
    ruta = _captura(tmp_path, "a.txt", {"fecha_captura": "2025-06-01T10:00:00-06:00", "sha256": sha.upper()})
    assert leer_captura(ruta, exigir_procedencia=True).sha256 == sha


def test_carpeta_de_plan_ordena_por_fecha_no_por_nombre(tmp_path):
    _captura(tmp_path, "a.txt", {"fecha_captura": "2025-06-01T10:00:00-06:00"})
    _captura(tmp_path, "b.txt", {"fecha_captura": "2025-04-01T10:00:00-06:00"})
    _captura(tmp_path, "c.txt", {"fecha_captura": None, "fecha_captura_minima": "2025-05-01T00:00:00"})
    archivos, serie = archivos_de([tmp_path])
    assert serie and [p.name for p in archivos] == ["a.txt", "b.txt", "c.txt"]  # las fichas no son capturas
    orden = ordenar([leer_captura(p, exigir_procedencia=True) for p in archivos])
    assert [c.archivo.name for c in orden] == ["b.txt", "c.txt", "a.txt"]


def test_zonas_distintas_se_ordenan_por_hora_de_reloj(tmp_path):
    """Las fechas del tablero no tienen zona: se comparan las horas de reloj de cada captura."""
    _captura(tmp_path, "a.txt", {"fecha_captura": "2025-06-01T10:00:00+00:00"})
    _captura(tmp_path, "b.txt", {"fecha_captura": "2025-06-01T09:00:00-06:00"})
    orden = ordenar([leer_captura(p) for p in archivos_de([tmp_path])[0]])
    assert [c.archivo.name for c in orden] == ["b.txt", "a.txt"]
    assert orden[0].fecha.astimezone(timezone.utc).hour == 15


def test_un_archivo_solo_no_es_serie():
    assert archivos_de([MINI]) == ([MINI], False)


def test_carpeta_sin_capturas_es_error(tmp_path):
    with pytest.raises(ErrorEntrada, match="la carpeta no contiene capturas"):
        archivos_de([tmp_path])
