"""Estado de los enlaces de evidencia al corte (analisis.evaluacion.enlaces).

Sobre la carpeta de plan escrita a mano ``tests/fixtures/enlaces/plan`` (ver
su LEEME.md: qué avance cita qué enlace y qué respondió cada comprobación).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analisis.evaluacion.enlaces import SIN_COMPROBAR, cuentas_por_estado, enlaces_al_corte, texto_comprobacion
from analisis.evaluacion.periodos import avances_al_corte


def _al_corte(tablas, corte: date, observaciones: pd.DataFrame | None = None) -> pd.DataFrame:
    compromiso_de = dict(zip(tablas.hitos["hito_id"], tablas.hitos["compromiso"]))
    obs = tablas.enlaces if observaciones is None else observaciones
    return enlaces_al_corte(avances_al_corte(tablas.avances, corte), obs, corte, compromiso_de)


def _resumen(tabla: pd.DataFrame) -> list[tuple]:
    return [
        (a, e, None if pd.isna(c) else int(c), None if pd.isna(f) else f.strftime("%Y-%m-%d"))
        for a, e, c, f in zip(tabla["avance_id"], tabla["estado"], tabla["codigo_http"], tabla["fecha_consulta"])
    ]


def test_al_corte_de_marzo_solo_cuenta_la_comprobacion_de_marzo(plan_enlaces):
    tabla = _al_corte(plan_enlaces, date(2025, 3, 31))
    # 1.2.3 (2 de abril) aún no está; 1.1.3 solo se comprobó el 10 de abril.
    assert _resumen(tabla) == [
        ("1.1.1", "ok", 200, "2025-03-20"),
        ("1.1.2", "roto", 404, "2025-03-20"),
        ("1.1.3", SIN_COMPROBAR, None, None),
        ("1.2.1", "sin_respuesta", None, "2025-03-20"),
    ]
    assert list(tabla["linea"]) == [28, 33, 36, 48]
    assert list(tabla["compromiso"]) == [1, 1, 1, 1]


def test_al_corte_de_junio_vale_la_comprobacion_mas_reciente(plan_enlaces):
    tabla = _al_corte(plan_enlaces, date(2025, 6, 30))
    assert _resumen(tabla) == [
        ("1.1.1", "redirigido", 200, "2025-04-10"),
        ("1.1.2", "ok", 200, "2025-04-10"),
        ("1.1.3", "ok", 200, "2025-04-10"),
        ("1.2.1", "sin_respuesta", None, "2025-04-10"),
        ("1.2.3", "roto", 404, "2025-04-10"),
    ]
    assert tabla.loc[0, "url_final"] == "https://actas.example.org/nuevo/taller"


def test_una_comprobacion_de_un_avance_que_ya_no_existe_no_cuenta(plan_enlaces):
    # 1.2.9 (antiguo.example.org) está en las observaciones, no en el tablero.
    assert "https://antiguo.example.org/x" not in set(_al_corte(plan_enlaces, date(2025, 6, 30))["url"])


@pytest.mark.parametrize(
    "hora, cuenta",
    [
        pytest.param("2025-03-31 23:59:59", True, id="ultimo-segundo-del-dia-de-corte"),
        pytest.param("2025-04-01 00:00:00", False, id="medianoche-siguiente"),
    ],
)
def test_cuenta_la_comprobacion_hecha_hasta_el_final_del_dia_de_corte(plan_enlaces, hora, cuenta):
    obs = pd.DataFrame(
        [{"avance_id": "1.1.3", "url": "https://datos.example.org/dos", "estado": "ok", "codigo_http": 200,
          "url_final": "https://datos.example.org/dos", "fecha_consulta": pd.Timestamp(hora), "archivo": "x.csv"}]
    ).astype({"codigo_http": "Int64"})
    fila = _al_corte(plan_enlaces, date(2025, 3, 31), obs).set_index("avance_id").loc["1.1.3"]
    assert fila["estado"] == ("ok" if cuenta else SIN_COMPROBAR)


def test_el_estado_se_busca_por_direccion_y_no_por_avance(plan_enlaces):
    # Una comprobación anotada con otro número de avance vale para la misma dirección.
    obs = pd.DataFrame(
        [{"avance_id": "9.9.9", "url": "https://datos.example.org/dos", "estado": "roto", "codigo_http": 410,
          "url_final": "https://datos.example.org/dos", "fecha_consulta": pd.Timestamp("2025-03-01 10:00:00"), "archivo": "x.csv"}]
    ).astype({"codigo_http": "Int64"})
    fila = _al_corte(plan_enlaces, date(2025, 3, 31), obs).set_index("avance_id").loc["1.1.3"]
    assert (fila["estado"], int(fila["codigo_http"])) == ("roto", 410)


def test_sin_comprobaciones_todo_queda_sin_comprobar(plan):
    tabla = _al_corte(plan, date(2025, 6, 30))
    assert list(tabla["avance_id"]) == ["1.1.2"]  # el único enlace del ejemplo de métricas
    assert list(tabla["estado"]) == [SIN_COMPROBAR]


def test_cuentas_por_estado_incluye_los_ceros(plan_enlaces):
    assert cuentas_por_estado(_al_corte(plan_enlaces, date(2025, 3, 31))) == {
        "ok": 1, "redirigido": 0, "roto": 1, "sin_respuesta": 1, "sin_comprobar": 1,
    }


@pytest.mark.parametrize(
    "estado, codigo, final, esperado",
    [
        pytest.param("ok", 200, "https://a.example/", "enlace comprobado el 2026-11-30: ok (200)", id="ok"),
        pytest.param("roto", 404, "https://a.example/", "enlace comprobado el 2026-11-30: roto (404)", id="roto"),
        pytest.param("roto", None, "", "enlace comprobado el 2026-11-30: roto (dirección no válida o redirecciones sin fin)",
                     id="roto-sin-codigo"),
        pytest.param("sin_respuesta", None, "", "enlace comprobado el 2026-11-30: sin respuesta", id="sin-respuesta"),
        pytest.param("redirigido", 200, "https://b.example/nuevo",
                     "enlace comprobado el 2026-11-30: redirigido a https://b.example/nuevo (200)", id="redirigido"),
    ],
)
def test_texto_de_una_comprobacion(estado, codigo, final, esperado):
    assert texto_comprobacion(estado, codigo, final, pd.Timestamp("2026-11-30 23:10:00")) == esperado


def test_texto_sin_comprobar():
    assert texto_comprobacion(SIN_COMPROBAR, None, "", pd.NaT) == "sin comprobar al corte"
