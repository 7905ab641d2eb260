using JobPlatform.TestSupport;

namespace JobPlatform.Jobs.Tests.Reports;

/// <summary>
/// TEST-ONLY stand-in for the billing tables, created in the test's own schema. The real tables come from the
/// billing module's migration (src/Jobs/Migrations/0001_billing.sql, built on another branch); these columns are the
/// ones src/Jobs/Reports/Sql/statement.sql reads. If the real migration differs, adapt both at merge (or create the
/// tables with JobsModuleMigration instead).
/// </summary>
internal static class BillingTestTables
{
    public static Task CreateAsync(TestDatabase db) => db.ExecuteAsync("""
        CREATE TABLE {schema}.billing_customers (
            id     bigint PRIMARY KEY,
            name   text NOT NULL,
            email  text
        );
        CREATE TABLE {schema}.billing_invoices (
            id            text PRIMARY KEY,
            customer_id   bigint NOT NULL REFERENCES {schema}.billing_customers (id),
            period        text NOT NULL,
            amount_minor  bigint NOT NULL,
            currency      text NOT NULL,
            status        text NOT NULL,
            created_at    timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE {schema}.billing_payments (
            invoice_id         text NOT NULL REFERENCES {schema}.billing_invoices (id),
            amount_minor       bigint NOT NULL,
            gateway_charge_id  text,
            created_at         timestamptz NOT NULL DEFAULT now()
        );
        """);
}
