using JobPlatform.Jobs.Email;

namespace JobPlatform.Jobs.Tests.Email;

public sealed class EmailTemplateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("jobplatform-email-templates-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Placeholders_are_replaced_and_escaped_in_html_only()
    {
        var model = new Dictionary<string, string> { ["name"] = "<b>Ann</b> & \"Bo\"", ["n"] = "1" };
        Assert.Equal("Hi <b>Ann</b> & \"Bo\" 1", PlaceholderRenderer.Render("Hi {{name}} {{ n }}", model, html: false).Text);
        Assert.Equal("Hi &lt;b&gt;Ann&lt;/b&gt; &amp; &quot;Bo&quot; 1", PlaceholderRenderer.Render("Hi {{name}} {{ n }}", model, html: true).Text);
    }

    [Fact]
    public void Missing_keys_are_reported_once_each_and_values_are_not_re_expanded()
    {
        var (text, missing) = PlaceholderRenderer.Render("{{a}} {{b}} {{a}} {{c}}", new Dictionary<string, string> { ["c"] = "{{a}}" }, html: false);
        Assert.Equal(["a", "b"], missing);
        Assert.Equal("{{a}} {{b}} {{a}} {{a}}", text);
    }

    [Fact]
    public void Built_in_templates_have_subject_text_and_html()
    {
        var store = new EmailTemplateStore(null);
        foreach (var name in new[] { EmailTemplates.Receipt, EmailTemplates.ReportReady })
        {
            var template = store.Find(name);
            Assert.NotNull(template);
            Assert.False(string.IsNullOrWhiteSpace(template.Subject));
            Assert.False(string.IsNullOrWhiteSpace(template.Text));
            Assert.False(string.IsNullOrWhiteSpace(template.Html));
        }

        Assert.Equal(["amount", "period"], PlaceholderRenderer.Names(store.Find(EmailTemplates.Receipt)!.Subject!).Order());
        Assert.Equal(["customer", "invoice", "period", "amount"], PlaceholderRenderer.Names(store.Find(EmailTemplates.Receipt)!.Text!));
        Assert.Equal(["title", "link"], PlaceholderRenderer.Names(store.Find(EmailTemplates.ReportReady)!.Html!).Distinct());
        Assert.Null(store.Find("welcome"));
    }

    [Fact]
    public void Directory_files_override_single_parts_and_add_templates()
    {
        File.WriteAllText(Path.Combine(_dir, "receipt.subject.txt"), "Receipt {{invoice}}\n");
        File.WriteAllText(Path.Combine(_dir, "welcome.subject.txt"), "Welcome {{name}}");
        File.WriteAllText(Path.Combine(_dir, "welcome.text.txt"), "Hello {{name}}");
        var store = new EmailTemplateStore(_dir);

        var receipt = store.Find(EmailTemplates.Receipt)!;
        Assert.Equal("Receipt {{invoice}}", receipt.Subject);
        Assert.Contains("{{customer}}", receipt.Text);
        Assert.Contains("<table", receipt.Html);
        var welcome = store.Find("welcome")!;
        Assert.Equal(("Welcome {{name}}", "Hello {{name}}", null), (welcome.Subject, welcome.Text, welcome.Html));
        Assert.Equal(["receipt", "report-ready", "welcome"], store.Names());
    }

    [Fact]
    public void Template_names_cannot_reach_outside_the_directory()
    {
        var store = new EmailTemplateStore(_dir);
        Assert.Throws<ArgumentException>(() => store.Find("../receipt"));
        Assert.Throws<ArgumentException>(() => store.Find("Receipt"));
    }

    [Fact]
    public void Bad_settings_name_their_keys_and_never_the_password()
    {
        var options = new EmailOptions
        {
            From = "nobody",
            TemplatesPath = Path.Combine(_dir, "missing"),
            Smtp = { Host = "", Port = 0, Password = "s3cret-pw" },
            RateLimit = { PerSecond = -1, Burst = 0.5 },
        };
        var problems = EmailOptionsValidator.Problems(options).ToList();
        foreach (var key in new[] { "Email:From", "Email:TemplatesPath", "Email:Smtp:Host", "Email:Smtp:Port", "Email:Smtp:UserName", "Email:RateLimit:PerSecond", "Email:RateLimit:Burst" })
        {
            Assert.Contains(problems, p => p.StartsWith(key, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(problems, p => p.Contains("s3cret-pw", StringComparison.Ordinal));
        Assert.DoesNotContain("s3cret-pw", options.Smtp.ToString(), StringComparison.Ordinal);
        Assert.Empty(EmailOptionsValidator.Problems(new EmailOptions()));
    }

    [Fact]
    public void Bad_smtp_transport_settings_name_their_keys_and_the_fix()
    {
        var notPem = Path.Combine(_dir, "not-a-certificate.pem");
        File.WriteAllText(notPem, "hello");
        var problems = EmailOptionsValidator.Problems(new EmailOptions
        {
            Smtp = { EnableSsl = true, PoolSize = 0, IdleTimeout = TimeSpan.Zero, Security = (SmtpSecurity)7, TrustedCertificatesPath = notPem },
        }).ToList();

        Assert.Contains(problems, p => p.StartsWith("Email:Smtp:EnableSsl is no longer read; set Email:Smtp:Security to StartTls", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Email:Smtp:PoolSize is 0; it must be 1 to 32", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Email:Smtp:IdleTimeout is 00:00:00; it must be positive", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Email:Smtp:Security is 7; it must be None, StartTls, SslOnConnect or Auto", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith($"Email:Smtp:TrustedCertificatesPath is '{notPem}', which holds no '-----BEGIN CERTIFICATE-----' block", StringComparison.Ordinal));
        Assert.Contains(EmailOptionsValidator.Problems(new EmailOptions { Smtp = { TrustedCertificatesPath = Path.Combine(_dir, "none.pem") } }),
            p => p.Contains("which is not a file", StringComparison.Ordinal));
        Assert.Empty(EmailOptionsValidator.Problems(new EmailOptions { Smtp = { EnableSsl = false, Security = SmtpSecurity.SslOnConnect, PoolSize = 32 } }));
    }
}
