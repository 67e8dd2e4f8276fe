"""Pruebas del historial de capturas: emparejamiento sin identificadores y tipos de cambio.

Cada par es ``tests/fixtures/capturas/anterior.txt`` (captura del 2024-03-01 a
mediodía) y un archivo que difiere de él en una sola cosa, escrito a mano; los
valores esperados se leen en los dos textos.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from analisis.errores import ErrorEntrada
from analisis.lectura.historial import historial_de
from analisis.lectura.paquete import escribir_paquete, leer_paquete

CAPTURAS = Path(__file__).parents[1] / "fixtures" / "capturas"
ANTERIOR = "2024-03-01T12:00:00-06:00"
POSTERIOR = "2024-04-01T12:00:00-06:00"


def _serie(tmp_path: Path, anterior: str, posterior: str) -> Path:
    """Carpeta de plan con las dos capturas y sus fichas."""
    carpeta = tmp_path / "plan"
    carpeta.mkdir()
    for nombre, fecha, destino in ((anterior, ANTERIOR, "a.txt"), (posterior, POSTERIOR, "b.txt")):
        shutil.copy(CAPTURAS / nombre, carpeta / destino)
        ficha = {"fuente": "https://tablero.example/pan", "fecha_captura": fecha}
        (carpeta / f"{destino}.procedencia.json").write_text(json.dumps(ficha), encoding="utf-8")
    return carpeta


def _cambios(tmp_path, posterior, anterior="anterior.txt"):
    h = historial_de([_serie(tmp_path, anterior, posterior)])
    return [
        (c["tipo"], c["compromiso"], c["hito_id"], c["campo"], c["valor_anterior"], c["valor_posterior"],
         c["linea_anterior"], c["linea_posterior"])
        for c in h.cambios
    ]


@pytest.mark.parametrize(
    "posterior,esperado",
    [
        ("avance_agregado.txt", [("avance_agregado", 1, "1.2", "fecha_registro", "", "2024-03-10T11:00:00", None, 36)]),
        # Registrado el 20 de febrero, no estaba en la captura del 1 de marzo.
        ("avance_retrofechado.txt", [("avance_retrofechado", 1, "1.2", "fecha_registro", "", "2024-02-20T11:00:00", None, 36)]),
        ("avance_editado.txt", [
            ("avance_editado", 1, "1.1", "descripcion", "Segundo taller", "Segundo taller regional", 25, 25),
            ("avance_editado", 1, "1.1", "porcentaje", "50", "60", 25, 25),
        ]),
        ("avance_eliminado.txt", [("avance_eliminado", 1, "1.2", "fecha_registro", "2024-02-15T10:00:00", "", 33, None)]),
        ("porcentaje_reportado_cambiado.txt", [("porcentaje_reportado_cambiado", 1, "", "porcentaje_reportado", "50", "60", 5, 5)]),
        ("plazo_modificado.txt", [("plazo_modificado", 1, "1.1", "fecha_fin", "2024-06-30", "2024-12-31", 13, 13)]),
        ("hito_agregado.txt", [("hito_agregado", 2, "2.2", "descripcion", "", "Informe de la consulta", None, 45)]),
        ("hito_eliminado.txt", [("hito_eliminado", 2, "2.1", "descripcion", "Consultar a la sociedad civil", "", 40, None)]),
        ("texto_modificado.txt", [("texto_modificado", 1, "1.2", "descripcion", "Publicar el catálogo de datos",
                                   "Publicar el catálogo de datos abiertos", 28, 28)]),
        ("responsable_cambiado.txt", [("responsable_cambiado", 2, "2.1", "institucion", "Ministerio de Trabajo y Previsión Social",
                                       "Ministerio de Desarrollo Social", 40, 40)]),
    ],
    ids=lambda v: v.removesuffix(".txt") if isinstance(v, str) else "",
)
def test_un_cambio_de_cada_tipo(tmp_path, posterior, esperado):
    assert _cambios(tmp_path, posterior) == esperado


def test_capturas_iguales_no_tienen_cambios(tmp_path):
    assert _cambios(tmp_path, "anterior.txt") == []


def test_hito_renumerado_sigue_siendo_el_mismo(tmp_path):
    """Se insertó un hito antes del 1.1: el 1.1 anterior es ahora el 1.2 y sus avances no cambiaron."""
    h = historial_de([_serie(tmp_path, "anterior.txt", "hito_renumerado.txt")])
    assert [(c["tipo"], c["hito_id"], c["valor_posterior"]) for c in h.cambios] == [
        ("hito_agregado", "1.1", "Auditar la apertura")
    ]
    primera = {h_["hito_id"]: h_["captura_primera"] for h_ in h.actual.hitos}
    assert primera == {"1.1": 2, "1.2": 1, "1.3": 1, "2.1": 1}
    avances = {a["avance_id"]: a["captura_primera"] for a in h.actual.avances}
    assert avances == {"1.2.1": 1, "1.2.2": 1, "1.3.1": 1}


def test_misma_hora_dos_veces_empareja_el_que_no_cambio_y_edita_el_otro(tmp_path):
    """Dos avances del hito 1.1 con la misma hora: solo el segundo cambió de texto."""
    cambios = _cambios(tmp_path, "misma_hora_posterior.txt", "misma_hora_anterior.txt")
    assert cambios == [
        ("avance_editado", 1, "1.1", "descripcion", "Segundo taller", "Segundo taller, corregido", 25, 25)
    ]


def test_primera_y_ultima_captura_de_cada_registro(tmp_path):
    h = historial_de([_serie(tmp_path, "anterior.txt", "avance_agregado.txt")])
    vistas = {a["avance_id"]: (a["captura_primera"], a["captura_ultima"]) for a in h.actual.avances}
    assert vistas == {"1.1.1": (1, 2), "1.1.2": (1, 2), "1.2.1": (1, 2), "1.2.2": (2, 2)}
    assert {c["compromiso"]: c["captura_primera"] for c in h.actual.compromisos} == {1: 1, 2: 1}


def test_retrofechado_frente_a_fecha_desconocida_usa_la_minima(tmp_path):
    """Si la captura anterior solo tiene fecha mínima, lo registrado antes de ella también debió verse."""
    carpeta = _serie(tmp_path, "anterior.txt", "avance_retrofechado.txt")
    ficha = {"fecha_captura": None, "fecha_captura_minima": "2024-02-25T00:00:00"}
    (carpeta / "a.txt.procedencia.json").write_text(json.dumps(ficha), encoding="utf-8")
    assert [c["tipo"] for c in historial_de([carpeta]).cambios] == ["avance_retrofechado"]
    ficha["fecha_captura_minima"] = "2024-02-18T00:00:00"  # registrado el 20, quizá después de la captura
    (carpeta / "a.txt.procedencia.json").write_text(json.dumps(ficha), encoding="utf-8")
    assert [c["tipo"] for c in historial_de([carpeta]).cambios] == ["avance_agregado"]


def test_varios_archivos_en_cualquier_orden_se_ordenan_por_fecha(tmp_path):
    carpeta = _serie(tmp_path, "anterior.txt", "avance_agregado.txt")
    h = historial_de([carpeta / "b.txt", carpeta / "a.txt"])
    assert [c.archivo.name for c in h.capturas] == ["a.txt", "b.txt"]
    assert [c["tipo"] for c in h.cambios] == ["avance_agregado"]


@pytest.mark.parametrize(
    "ficha,motivo",
    [(None, "falta la ficha de procedencia b.txt.procedencia.json"), ({"fecha_captura": "ayer"}, "b.txt.procedencia.json: fecha_captura no es")],
    ids=["sin-ficha", "fecha-invalida"],
)
def test_en_una_serie_la_ficha_mala_es_error_que_nombra_el_archivo(tmp_path, ficha, motivo):
    carpeta = _serie(tmp_path, "anterior.txt", "avance_agregado.txt")
    (carpeta / "b.txt.procedencia.json").unlink()
    if ficha is not None:
        (carpeta / "b.txt.procedencia.json").write_text(json.dumps(ficha), encoding="utf-8")
    with pytest.raises(ErrorEntrada, match=motivo):
        historial_de([carpeta])


def test_el_paquete_del_historial_valida_con_frictionless(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    carpeta = _serie(tmp_path, "anterior.txt", "hito_renumerado.txt")
    # Una tercera captura con todos los tipos de una vez no hace falta: basta
    # que haya cambios, capturas y reportados de más de una captura.
    escribir_paquete(historial_de([carpeta]), tmp_path / "paquete")
    informe = frictionless.validate(tmp_path / "paquete" / "datapackage.json")
    assert informe.valid, informe.flatten(["rowNumber", "fieldName", "type", "message"])
    tablas = leer_paquete(tmp_path / "paquete")
    assert list(tablas.capturas["fecha_captura"]) == [ANTERIOR, POSTERIOR]
    assert list(tablas.reportados["captura"]) == [1, 1, 2, 2]
    assert list(tablas.tablero["captura"]) == [1, 2]
    assert list(tablas.cambios["tipo"]) == ["hito_agregado"]
    assert tablas.fuente["path"] == "b.txt"


# --- «Hecho cuando»: dos capturas del plan incluido (fixture plan_con_dos_capturas en conftest) ---------

DESCRIPCION_158 = "En el marco del compromiso No.1 del 6o. Plan Nacional de Gobierno Abierto"


def test_dos_capturas_del_plan_incluido_cada_cambio_con_su_tipo(plan_con_dos_capturas):
    h = historial_de([plan_con_dos_capturas])
    assert [c.archivo.name for c in h.capturas] == ["captura_2025-04-15.txt", "tableropan_gt_6pan_2023-2025.txt"]
    cambios = [(c["tipo"], c["hito_id"], c["campo"], c["valor_anterior"][:40], c["valor_posterior"][:40]) for c in h.cambios]
    assert cambios == [
        ("porcentaje_reportado_cambiado", "", "porcentaje_reportado", "40", "50"),
        ("plazo_modificado", "1.1", "fecha_fin", "2025-05-31", "2025-06-30"),
        ("avance_editado", "1.2", "descripcion", "Borrador del avance", DESCRIPCION_158[:40]),
        ("avance_editado", "1.2", "porcentaje", "35", "40"),
        ("avance_agregado", "1.4", "fecha_registro", "", "2025-05-22T17:33:50"),
        ("avance_eliminado", "1.4", "fecha_registro", "2025-03-20T10:00:00", ""),
        ("avance_retrofechado", "3.4", "fecha_registro", "", "2025-04-09T23:02:00"),
    ]
    assert {(c["captura_anterior"], c["captura_posterior"]) for c in h.cambios} == {(1, 2)}
