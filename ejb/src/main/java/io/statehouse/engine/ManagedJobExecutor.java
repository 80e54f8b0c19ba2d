package io.statehouse.engine;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;

import org.camunda.bpm.engine.impl.ProcessEngineImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;

/**
 * Camunda's job executor on container-managed threads: the acquisition thread comes from a
 * {@link ManagedThreadFactory}, jobs run on a {@link ManagedExecutorService}, so delegates see the
 * EE context (naming, CDI, security) that unmanaged threads lack. When the executor's queue is
 * full the jobs go back to Camunda's rejected-jobs handler, which lets acquisition retry them.
 */
final class ManagedJobExecutor extends JobExecutor {

    private final ManagedExecutorService executor;
    private final ManagedThreadFactory threadFactory;

    ManagedJobExecutor(ManagedExecutorService executor, ManagedThreadFactory threadFactory) {
        this.executor = executor;
        this.threadFactory = threadFactory;
        this.name = "statehouse-job-executor";
    }

    @Override
    protected void startExecutingJobs() {
        jobAcquisitionThread = threadFactory.newThread(acquireJobsRunnable);
        jobAcquisitionThread.start();
    }

    @Override
    protected void stopExecutingJobs() {
        stopJobAcquisitionThread();
    }

    @Override
    public void executeJobs(List<String> jobIds, ProcessEngineImpl processEngine) {
        try {
            executor.execute(getExecuteJobsRunnable(jobIds, processEngine));
        } catch (RejectedExecutionException e) {
            logRejectedExecution(processEngine, jobIds.size());
            rejectedJobsHandler.jobsRejected(jobIds, processEngine, this);
        }
    }
}
