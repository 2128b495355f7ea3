# The corrected twin of gcp-app.

variable "region" {
  default = "europe-west1"
}

resource "google_compute_network" "main" {
  name                    = "vpc-app"
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "app" {
  name          = "snet-app"
  network       = google_compute_network.main.id
  ip_cidr_range = "10.0.1.0/24"
  region        = var.region
}

# SSH only through Identity-Aware Proxy.
resource "google_compute_firewall" "ssh" {
  name          = "allow-ssh"
  network       = google_compute_network.main.name
  direction     = "INGRESS"
  source_ranges = ["35.235.240.0/20"]
  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}

resource "google_compute_instance" "bastion" {
  name         = "bastion"
  machine_type = "e2-small"
  metadata = {
    enable-oslogin = "TRUE"
  }
  network_interface {
    subnetwork = google_compute_subnetwork.app.id
  }
  service_account {
    email = "bastion@p.iam.gserviceaccount.com"
  }
}

resource "google_storage_bucket" "assets" {
  name                        = "app-assets"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  versioning {
    enabled = true
  }
}

resource "google_storage_bucket_iam_member" "web" {
  bucket = google_storage_bucket.assets.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:web@p.iam.gserviceaccount.com"
}

resource "google_kms_crypto_key" "data" {
  name            = "data"
  key_ring        = "projects/p/locations/europe/keyRings/app"
  rotation_period = "7776000s"
}
