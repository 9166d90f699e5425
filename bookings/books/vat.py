"""The VAT summary per quarter, per VAT rate, for the VAT return (btw-aangifte).

Everything comes from `movements` (read its docstring for the rules): money counts in the quarter it
moved, a refund lowers turnover and VAT in the quarter it was made, and VAT is rounded half up to a
cent per payment, never over a total, so the quarters of a payment add up to the VAT on what it
finally brought in. Gift vouchers sold are no turnover (the VAT comes when a voucher pays for
something): they are kept apart on each quarter as `vouchers`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from ..offers.vouchers import VOUCHER
from .movements import movements
from .periods import Period, Quarter, quarter_of, quarters_in


@dataclass
class VatLine:
    """One VAT rate in one quarter (or the quarter's total, with `rate` None). Money in cents."""

    rate: Decimal | None
    payments: int = 0  # payments received in the quarter
    gross: int = 0  # received, VAT included
    refunded: int = 0  # paid back in the quarter, whatever quarter the payment was in
    vat: int = 0  # the sum of the payments' VAT and of the refunds' corrections

    @property
    def net(self) -> int:
        """Received less refunded, VAT included."""
        return self.gross - self.refunded

    @property
    def excluding_vat(self) -> int:
        return self.net - self.vat

    def add(self, movement) -> None:
        self.payments += 1 if movement.is_sale and not movement.by_voucher else 0
        self.gross += movement.gross
        self.refunded += movement.refunded
        self.vat += movement.vat


@dataclass
class VatQuarter:
    quarter: Quarter
    lines: list[VatLine] = field(default_factory=list)  # one per rate, highest rate first
    total: VatLine = field(default_factory=lambda: VatLine(None))
    vouchers: VatLine = field(default_factory=lambda: VatLine(None))  # gift vouchers sold: no turnover, no VAT


def vat_summary(period: Period) -> list[VatQuarter]:
    """Every quarter the period touches, whole, with a line per VAT rate that money moved at.
    Two queries, whatever the number of payments."""
    quarters = quarters_in(period)
    summary = {quarter: VatQuarter(quarter) for quarter in quarters}
    lines = {}
    for movement in movements(Period(quarters[0].first, quarters[-1].last)):
        quarter = quarter_of(movement.moment.date())
        if movement.purpose == VOUCHER:  # the sale of a multi-purpose voucher: shown apart, not turnover
            summary[quarter].vouchers.add(movement)
            continue
        rate = Decimal(movement.rate)
        line = lines.get((quarter, rate))
        if line is None:
            line = lines[(quarter, rate)] = VatLine(rate)
            summary[quarter].lines.append(line)
        line.add(movement)
        summary[quarter].total.add(movement)
    for entry in summary.values():
        entry.lines.sort(key=lambda line: -line.rate)
    return list(summary.values())
