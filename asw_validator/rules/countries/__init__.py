"""Country rule packs (``KH`` ``LA`` ``MM`` ``TH`` ``VN`` codes), one module per country.

Each module's ``PACK`` is registered under the ``asw_validator.rules`` entry points, the same
way a national team's own pack would be (see README, "Country packs").
"""
