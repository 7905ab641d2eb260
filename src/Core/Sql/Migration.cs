using System.Globalization;

namespace JobPlatform.Core.Sql;

/// <summary>One numbered schema migration file, e.g. <c>0001_initial.sql</c>.</summary>
internal sealed record Migration(int Version, string Name, string Sql)
{
    public static Migration Parse(string fileName, string sql)
    {
        var underscore = fileName.IndexOf('_');
        if (underscore <= 0 || !int.TryParse(fileName[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException($"Migration file '{fileName}.sql' must be named NNNN_description.sql.");
        }

        return new Migration(version, fileName[(underscore + 1)..], sql);
    }
}
