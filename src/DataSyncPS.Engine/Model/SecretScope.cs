namespace DataSyncPS;

/// <summary>Which store a saved secret lives in.</summary>
public enum SecretScope
{
    /// <summary>The current user's own store, under the data folder (DATASYNCPS_HOME).</summary>
    User,

    /// <summary>The machine's store, readable by the accounts the admin names: for scheduled jobs that run
    /// as SYSTEM or a service account with no profile.</summary>
    Machine,
}
