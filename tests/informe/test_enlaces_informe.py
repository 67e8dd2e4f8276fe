"""Resumen de la comprobación de enlaces en la sección de calidad (analisis.informe.enlaces).

Sobre ``tests/fixtures/enlaces/plan`` (cifras a mano en su LEEME.md) y el
ejemplo de métricas, que no trae ninguna comprobación.
"""

from __future__ import annotations

import pytest

from analisis.evaluacion.evaluacion import Evaluacion
from analisis.informe.contexto import Contexto
from analisis.informe.enlaces import frase_comprobaciones, tabla_comprobaciones


def _ctx(tablas, clave: str, periodo: str, corte: str | None = None) -> Contexto:
    return Contexto(ev=Evaluacion.desde_textos(periodo, corte), datos="", clave=(clave, "0"), tablas=tablas)


@pytest.mark.parametrize(
    "periodo, esperado",
    [
        pytest.param("2025-T1", [4, 3, 1, 0, 1, 1, 1], id="marzo"),
        pytest.param("2025-T2", [5, 5, 2, 1, 1, 1, 0], id="junio"),
    ],
)
def test_tabla_de_comprobaciones(plan_enlaces, periodo, esperado):
    tabla = tabla_comprobaciones(_ctx(plan_enlaces, "enlaces-tabla", periodo))
    assert list(tabla["indicador"]) == [
        "Enlaces de evidencia de los avances registrados hasta el corte",
        "Comprobados hasta el corte",
        "Responde", "Redirigido", "Roto", "Sin respuesta", "Sin comprobar al corte",
    ]
    assert list(tabla["enlaces"]) == esperado


def test_frase_con_comprobaciones_al_corte(plan_enlaces):
    assert frase_comprobaciones(_ctx(plan_enlaces, "enlaces-frase", "2025-T1")) == (
        "De los 4 enlaces de evidencia, 3 se comprobaron hasta el corte (el 2025-03-20; vale la comprobación más "
        "reciente de cada enlace): 1 responde, 0 llevan a otra dirección, 1 está roto y 1 no respondió. "
        "1 queda sin comprobar al corte. Sin respuesta no quiere decir roto: puede que faltara la conexión. "
        "Cada enlace roto figura entre las alertas."
    )


def test_frase_con_todas_las_comprobaciones_posteriores_al_corte(plan_enlaces):
    # Al 2025-03-01 hay tres enlaces (1.1.1, 1.1.2 y 1.2.1); la primera comprobación es del 20 de marzo.
    assert frase_comprobaciones(_ctx(plan_enlaces, "enlaces-posterior", "2025-T1", "2025-03-01")) == (
        "Todas las comprobaciones de enlaces del paquete son posteriores al corte (la primera, del 2025-03-20): "
        "ninguno de los 3 enlaces de evidencia se había comprobado al corte."
    )


def test_frase_sin_ninguna_comprobacion_lo_dice_claramente(plan):
    assert frase_comprobaciones(_ctx(plan, "enlaces-nunca", "2025-T1")) == (
        "El enlace de evidencia de los avances registrados hasta el corte no se ha comprobado nunca: el paquete de "
        "datos no trae ninguna comprobación de enlaces, así que este informe no dice si funciona."
    )


def test_frase_sin_enlaces_que_comprobar(plan):
    # Al 2025-01-31 solo cuentan 1.1.1, 1.2.2 y 2.2.1, que no citan enlaces.
    assert frase_comprobaciones(_ctx(plan, "enlaces-ninguno", "2025-01")) == (
        "Ningún avance registrado hasta el corte cita un enlace: no hay evidencia en línea que comprobar."
    )


def test_tabla_sin_ninguna_comprobacion_queda_vacia(plan):
    # Ningún enlace comprobado: la frase lo dice; una tabla de ceros no añadiría nada.
    assert tabla_comprobaciones(_ctx(plan, "enlaces-tabla-nunca", "2025-T1")).empty
