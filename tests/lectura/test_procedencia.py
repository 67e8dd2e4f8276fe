"""Procedencia de un crudo para la portada (analisis.lectura.procedencia)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from analisis.lectura import procedencia as modulo
from analisis.lectura.procedencia import procedencia_de


def test_tablero_incluido_url_y_captura_desconocida():
    p = procedencia_de("tableropan_gt_6pan_2023-2025.txt", datetime(2025, 5, 22, 17, 33, 50))
    assert p.url == "https://gobiernoabierto.transparencia.gob.gt"
    assert p.captura == "desconocida; posterior a 2025-05-22 17:33:50 (el registro más reciente de los datos)"


@pytest.mark.parametrize(
    ("nota", "captura"),
    [
        ({"fuente": "https://x.example/tablero", "fecha_captura": "2025-06-01"}, "2025-06-01"),
        ({"fuente": "sin url", "fecha_captura": "no se sabe"}, "desconocida; posterior a 2025-05-22 17:33:50 (el registro más reciente de los datos)"),
    ],
    ids=["fecha-iso", "fecha-no-iso"],
)
def test_nota_de_procedencia(tmp_path, monkeypatch, nota, captura):
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "t.txt.procedencia.json").write_text(json.dumps(nota), encoding="utf-8")
    monkeypatch.setattr(modulo, "raiz_proyecto", lambda: tmp_path)
    p = procedencia_de("t.txt", datetime(2025, 5, 22, 17, 33, 50))
    assert p.captura == captura
    assert p.url == ("https://x.example/tablero" if "x.example" in nota["fuente"] else "")


def test_sin_nota_ni_registros(tmp_path, monkeypatch):
    monkeypatch.setattr(modulo, "raiz_proyecto", lambda: tmp_path)
    assert procedencia_de("otro.txt") == modulo.Procedencia("", "desconocida")
