# Cloud Run behind its load balancer, invocable only by the frontend.
resource "google_cloud_run_v2_service" "web" {
  name     = "web"
  location = var.region
  ingress  = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"
  template {
    service_account = "web@p.iam.gserviceaccount.com"
    containers {
      image = "europe-docker.pkg.dev/p/app/web:1"
    }
  }
}

resource "google_cloud_run_v2_service_iam_member" "frontend" {
  name   = google_cloud_run_v2_service.web.name
  role   = "roles/run.invoker"
  member = "serviceAccount:frontend@p.iam.gserviceaccount.com"
}

resource "google_project_iam_member" "ci" {
  project = "p"
  role    = "roles/cloudbuild.builds.builder"
  member  = "serviceAccount:ci@p.iam.gserviceaccount.com"
}
