"""The order the warehouse's SQL files run in, declared once (docs/architecture.md, "Order of SQL steps").

Names say the layer, as dbt names its models: `schema_` creates tables, views and macros; `stg_`
stages this run's inputs; `int_` builds the reconciled tables; `marts_` the products. A file under
`warehouse/sql/` that is not listed here, or a listed file that is missing, fails tests/test_steps.py.
"""
from __future__ import annotations

# warehouse/sql/: applied by warehouse.db.apply_schema, in this order
SCHEMA: tuple[tuple[str, str], ...] = (
    ("schema_raw.sql", "runs, raw_documents, observations, rejected_observations, current_documents and current_observations (layer 1)"),
    ("schema_benchmarks.sql", "benchmark_observations, benchmarks, benchmark_results, benchmark_scores, benchmark_lead"),
    ("schema_reconciled.sql", "providers, models, model_aliases, model_capabilities, offering_listings, offering_prices, conflicts, lineage, model_families"),
    ("schema_views.sql", "offerings, price_history (both of offering_prices), current_offerings and model_capability_matrix, the views analysts start from; route_price_rows(), the price rows every cost reads"),
    ("schema_comments.sql", "COMMENTs on the reconciled tables, views and columns"),
    ("schema_reconcile_state.sql", "what the last reconcile read and wrote (warehouse.incremental)"),
    ("marts_comparisons.sql", "comparison_models, comparisons and the comparison_ macros that fill them (layer 3)"),
    ("marts_compare_pair.sql", "compare_pair(a, b), one pair on demand, and comparison_requests"),
)

# warehouse/sql/migrations/: run by warehouse.db.apply_schema before schema_views.sql, in this order,
# each only while main still stores the table it names (a warehouse an earlier versus wrote)
MIGRATIONS: tuple[tuple[str, str, str], ...] = (
    ("stored_price_history.sql", "price_history", "its periods become the listing's own input and output rows of offering_prices for its routes; the view replaces the table"),
    ("stored_offerings.sql", "offerings", "its prices mark or join offering_prices (listing_price), the rest moves to offering_listings; the view replaces the table"),
)

# warehouse/sql/reconcile/: run by warehouse.reconcile.reconcile, in this order, in one transaction
RECONCILE: tuple[tuple[str, str], ...] = (
    ("stg_macros.sql", "_equivalent, _number_text and _output_above_context, the macros later steps share"),
    ("stg_inputs.sql", "_obs: every current observation of a resolved id, classed and comparable"),
    ("stg_witnesses.sql", "which independent source each observation of _obs speaks for, and its as-of"),
    ("int_models.sql", "models and model_capabilities, one value per field by precedence"),
    ("int_offerings.sql", "offering_listings (offerings but for its prices), with first_seen, last_seen and active carried over"),
    ("int_identity.sql", "providers and model_aliases"),
    ("int_conflicts.sql", "conflicts"),
    ("int_lineage.sql", "lineage"),
    ("int_offering_prices.sql", "offering_prices (SCD2 of every price component: the one stored price), its preferred rows and conflicts"),
    ("int_retirement_conflicts.sql", "conflicts over a route's retirement"),
    ("int_benchmarks.sql", "benchmarks and benchmark_results (SCD2 of scores)"),
)
