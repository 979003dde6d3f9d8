extension Schema {
    /// 2026-12-08-visit-access (issue 13). The TSA measures a responder twice on the doorstep: on site
    /// within 45 minutes of the decision to deploy, and in the home within 5 minutes of arriving. On
    /// site and access gained were one moment until now; this is the second. A visit may leave without
    /// it (nobody answered, the police forced the door), never gain it before arriving.
    ///
    /// Literal SQL on purpose: once released, never edit this string.
    static let visitAccess = #"""
        ALTER TABLE visits ADD COLUMN access_gained_at INTEGER
            CHECK (access_gained_at IS NULL OR (on_site_at IS NOT NULL AND access_gained_at >= on_site_at));
        """#
}
