"""Qué se evalúa: el periodo, la fecha de corte y el criterio, fijados una sola vez.

La CLI, el informe y los cuadernos construyen un :class:`Evaluacion` a partir
de los textos que da el usuario (``--periodo``, ``--corte``, ``--criterio``) y
lo pasan hacia abajo tal cual; ningún otro módulo vuelve a interpretar esos
textos. Aquí se dicen, una vez cada una, las dos reglas por omisión:

* **criterio**: ``ultimo`` (por qué, en :mod:`analisis.evaluacion.metricas`);
* **corte**: el último día del periodo.

Una fecha de corte posterior a hoy es un error: nadie sabe todavía qué dirá el
tablero ese día.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..errores import ErrorParametro
from .criterios import validar_criterio
from .periodos import FORMATOS_PERIODO, Periodo, parsear_corte, parsear_periodo, periodo_anterior


@dataclass(frozen=True)
class Evaluacion:
    """Un corte evaluado: hasta qué día se cuenta, con qué criterio y, si lo hay, de qué periodo."""

    corte: date
    criterio: str | None = None  # None: el criterio por omisión
    periodo: Periodo | None = None

    def __post_init__(self) -> None:
        # frozen: la normalización del criterio se fija con object.__setattr__.
        object.__setattr__(self, "criterio", validar_criterio(self.criterio))
        if self.periodo is not None and self.corte < self.periodo.inicio:
            raise ErrorParametro(
                f"la fecha de corte {self.corte} es anterior al inicio del periodo {self.periodo.etiqueta}"
            )

    @classmethod
    def desde_textos(
        cls, periodo: str | None = None, corte: str | None = None, criterio: str | None = None
    ) -> "Evaluacion":
        """Interpreta los parámetros tal como los escribe el usuario.

        Hace falta el periodo, el corte o ambos; sin corte, el corte es el
        último día del periodo. Un criterio ``None`` es el de omisión; uno vacío, un error.
        """
        p = parsear_periodo(str(periodo)) if periodo else None
        hoy = date.today()
        if corte:
            dia = parsear_corte(str(corte))
            if dia > hoy:
                # Evaluar a una fecha futura atribuiría al tablero de ese día lo
                # que dice hoy (p. ej. hitos «vencidos» en 2030 según una captura de 2025).
                raise ErrorParametro(f"la fecha de corte {dia} es posterior a hoy ({hoy}): el tablero aún no dice nada de ese día")
        elif p is not None:
            dia = p.fin
            if dia > hoy:
                raise ErrorParametro(
                    f"el periodo {p.etiqueta} aún no termina (su último día es {dia}): indique --corte con una fecha hasta hoy ({hoy})"
                )
        else:
            raise ErrorParametro(f"falta la fecha de corte AAAA-MM-DD o el periodo ({FORMATOS_PERIODO})")
        return cls(corte=dia, criterio=criterio, periodo=p)

    def comprobar_inicio_del_plan(self, inicio_plan: date | None, origen: str) -> None:
        """Un corte anterior a todo el plan es un error, no un informe donde todo está «no iniciado».

        ``inicio_plan`` sale de :func:`analisis.evaluacion.periodos.inicio_del_plan`
        (``None``: el paquete no tiene fechas, no hay con qué comparar). Quien
        pide 2023-T1 de un plan cuyo primer hito empieza en junio de 2023 casi
        seguro se equivocó de periodo; el informe no tendría nada que evaluar.
        """
        if inicio_plan is None or self.corte >= inicio_plan:
            return
        de_periodo = f" (periodo {self.periodo.etiqueta})" if self.periodo else ""
        raise ErrorParametro(
            f"{origen}: la fecha de corte {self.corte}{de_periodo} es anterior al inicio del plan "
            f"({inicio_plan}: primer hito que empieza o primer avance registrado); no hay nada que evaluar"
        )

    @property
    def inicio(self) -> date | None:
        """Primer día del periodo (``None`` si solo hay corte): delimita «avances del periodo»."""
        return self.periodo.inicio if self.periodo else None

    def anterior(self) -> "Evaluacion":
        """La misma evaluación al cierre del periodo anterior, para ver qué cambió."""
        if self.periodo is None:
            raise ErrorParametro("sin periodo no hay periodo anterior")
        previo = periodo_anterior(self.periodo)
        return Evaluacion(corte=previo.fin, criterio=self.criterio, periodo=previo)

    def parametros(self) -> dict:
        """Cómo se registra en ``parametros.json`` junto a las tablas."""
        return {
            "corte": self.corte.isoformat(),
            "periodo": self.periodo.etiqueta if self.periodo else None,
            "inicio_periodo": self.inicio.isoformat() if self.inicio else None,
            "criterio": self.criterio,
        }
