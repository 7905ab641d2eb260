using System.Diagnostics;

namespace JobPlatform.Jobs.Tests.Reports;

/// <summary>The text of a PDF, extracted by poppler's <c>pdftotext -layout</c> (Debian poppler-utils).</summary>
internal static class PdfText
{
    public static async Task<string> ExtractAsync(byte[] pdf)
    {
        Assert.True(pdf.Length > 4 && pdf[0] == '%' && pdf[1] == 'P' && pdf[2] == 'D' && pdf[3] == 'F', "The output is not a PDF (no %PDF header).");
        var path = Path.Combine(Path.GetTempPath(), $"jobplatform-report-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-layout", "-enc", "UTF-8", path, "-"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"pdftotext exited with {process.ExitCode}: {await stderr}");
            return await stdout;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
