using System.Security.Cryptography;

namespace GanLab.Web.Hosting;

/// <summary>
/// Students are anonymous: a random id in an HttpOnly cookie, set on the first visit and kept for 400 days
/// (the most browsers allow), names a browser. Runs belong to it, the Runs page lists its runs, and the export
/// endpoints serve a run only to the browser that owns it. Not a login: whoever has the cookie is that student.
/// </summary>
public static class BrowserId
{
    public const string CookieName = "ganlab-browser";

    private const string ItemKey = "ganlab-browser-id";

    /// <summary>32 lower-case hex digits: 128 random bits, too many to guess another student's id.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsValid(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    /// <summary>The browser id of this request (set by <see cref="UseBrowserId"/>).</summary>
    public static string Of(HttpContext context) => context.Items[ItemKey] as string
        ?? throw new InvalidOperationException("UseBrowserId must run before anything that needs the browser id");

    /// <summary>Reads the cookie, or issues one; every later part of the request finds the id with <see cref="Of"/>.</summary>
    public static WebApplication UseBrowserId(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var id = context.Request.Cookies[CookieName];
            if (!IsValid(id))
            {
                id = NewId();
                context.Response.Cookies.Append(CookieName, id, new CookieOptions
                {
                    HttpOnly = true,
                    IsEssential = true,
                    SameSite = SameSiteMode.Lax,
                    Secure = context.Request.IsHttps,
                    MaxAge = TimeSpan.FromDays(400),
                    Path = "/",
                });
            }
            context.Items[ItemKey] = id;
            return next(context);
        });
        return app;
    }
}

/// <summary>
/// The browser id inside a Blazor circuit, where there is no HttpContext: App.razor reads it while the page is
/// served and hands it to Routes as a parameter (which Blazor protects from tampering), and Routes fills this.
/// </summary>
public sealed class BrowserIdentity
{
    private string? _id;

    public string Id
    {
        get => _id ?? throw new InvalidOperationException("the browser id is not known yet in this circuit");
        set
        {
            if (!BrowserId.IsValid(value)) throw new ArgumentException($"'{value}' is not a browser id");
            _id = value;
        }
    }

    public bool IsKnown => _id is not null;
}
