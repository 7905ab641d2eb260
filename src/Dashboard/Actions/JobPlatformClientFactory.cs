using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using JobPlatform.Dashboard.Storage;
using Microsoft.AspNetCore.Http;

namespace JobPlatform.Dashboard.Actions;

/// <summary>
/// What Hangfire's dashboard (and anything else in this process) gets when it asks for a background job client
/// or a recurring-job manager: JobPlatform's operations, audited as the request's user. The dashboard's own
/// buttons are routed to <see cref="OperatorActions"/> directly (<see cref="BuiltInActions"/>); this covers any
/// other caller. Creating jobs through Hangfire's API is not supported: enqueue with JobPlatform's client.
/// </summary>
internal sealed class JobPlatformClientFactory(OperatorActions actions, IHttpContextAccessor http) : IBackgroundJobClientFactory, IRecurringJobManagerFactory
{
    public IBackgroundJobClient GetClient(JobStorage storage) => new Client(actions, http);

    public IRecurringJobManager GetManager(JobStorage storage) => new Manager(actions, http);

    private static Operator Who(IHttpContextAccessor http) =>
        http.HttpContext is { } context ? Operator.Of(context) : new Operator("system", null, "in-process");

    private sealed class Client(OperatorActions actions, IHttpContextAccessor http) : IBackgroundJobClient
    {
        public string Create(Job job, IState state) =>
            throw new NotSupportedException("Hangfire jobs cannot be created on JobPlatform; enqueue a JobPlatform job with JobClient.EnqueueAsync.");

        /// <summary>Enqueued is a retry, Deleted a cancel; no other state can be set from outside the engine.</summary>
        public bool ChangeState(string jobId, IState state, string expectedState)
        {
            if (!JobKey.TryParse(jobId, out var id))
            {
                return false;
            }

            var outcome = state switch
            {
                EnqueuedState => actions.RetryAsync(Who(http), [id], "hangfire client", CancellationToken.None).GetAwaiter().GetResult(),
                DeletedState => actions.CancelAsync(Who(http), [id], includeFailed: expectedState is null or "Failed", "hangfire client",
                    CancellationToken.None).GetAwaiter().GetResult(),
                _ => ActionOutcome.Refused($"A job cannot be moved to {state.Name} from the dashboard."),
            };
            return outcome.Done;
        }
    }

    private sealed class Manager(OperatorActions actions, IHttpContextAccessor http) : IRecurringJobManager
    {
        public void AddOrUpdate(string recurringJobId, Job job, string cronExpression, RecurringJobOptions options) =>
            throw new NotSupportedException("Schedules are added with jobctl recurring add, configuration (JobPlatform:Recurring) or RecurringSchedules.AddOrUpdateAsync.");

        public void Trigger(string recurringJobId) =>
            actions.TriggerAsync(Who(http), [recurringJobId], CancellationToken.None).GetAwaiter().GetResult();

        public void RemoveIfExists(string recurringJobId) =>
            actions.RemoveSchedulesAsync(Who(http), [recurringJobId], CancellationToken.None).GetAwaiter().GetResult();
    }
}
